import Foundation
public import Logging
public import Trendmix

/// How `trendmix serve` runs: where, for whom, and with what limits.
public struct ServerConfiguration: Sendable {
    /// The SQLite database holding the model (`trendmix build` stores it).
    public var database: String
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    /// Partner sites' origins allowed by CORS (exact `scheme://host[:port]` matches); none: no CORS headers.
    public var corsOrigins: [String] = []
    /// Requests served at once; more are answered 503 with `Retry-After` rather than queued without bound.
    public var maxInFlight = 256
    /// How often the stored model's stamp is checked; a new one is loaded in the background and swapped in.
    public var reloadInterval: Duration = .seconds(2)
    /// `Cache-Control: public, max-age=` for answers computed from the model.
    public var cacheMaxAge = 60
    /// Answers kept in memory by engine revision and request (0: none); about 3 KB each.
    public var cachedAnswers = 20_000
    public var logLevel: Logger.Level = .info
    /// The bearer token back ends write with (`--write-token-file`); nil: writes from the loopback only.
    public var writeToken: String?
    /// Impressions and clicks a minute one browser client may send without the token (0: no limit).
    public var beaconsPerMinute = 600
    /// Count beacons by the last address of `X-Forwarded-For` (a reverse proxy in front) rather than the peer's.
    public var trustForwardedFor = false
    /// A connection with no request in progress (none yet, or between keep-alive requests) is closed after this
    /// long. Longer than a reverse proxy's keep-alive to its upstreams (nginx: 60 s), so the proxy closes first.
    /// nil: never.
    public var idleTimeout: Duration? = .seconds(75)
    /// A request's head must arrive whole within this long of its first byte (nginx's `client_header_timeout`
    /// is 60 s; a proxy sends a head at once). nil: only the idle timeout bounds it.
    public var headerTimeout: Duration? = .seconds(20)
    /// A request's body must arrive whole within this long of its head (at most 1 MiB: 35 KB/s at the default).
    /// nil: never.
    public var bodyTimeout: Duration? = .seconds(30)
    /// Connections open at once. Reaching it closes the connection idle the longest to make room; when every one
    /// is busy, more wait in the listen backlog (refused by the kernel once it is full) instead of taking file
    /// descriptors the server needs. By default four fifths of the descriptor limit.
    public var maxConnections = ServerConfiguration.defaultMaxConnections
    /// One log line per request at info (method, path, route, status, latency).
    public var accessLog = true
    /// At most this many access-log lines a second; the rest are counted into one summary line (0: no cap).
    public var accessLogPerSecond = 200
    /// An A/B test: readers split among these variants by a stable hash of their id (`--variant`).
    public var test: ABTest?
    /// Called once the server listens, with the host and the port it got (useful with port 0).
    public var onListening: (@Sendable (String, Int) -> Void)?

    /// Four fifths of the process's soft limit on open files (the rest for the database, logs and the listener),
    /// at least 64.
    public static var defaultMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return 10_000
        }
        return max(64, Int(min(limit.rlim_cur, 1 << 30)) * 4 / 5)
    }

    public init(database: String) {
        self.database = database
    }
}
