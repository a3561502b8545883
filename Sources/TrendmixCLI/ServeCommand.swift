import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Trendmix
import TrendmixServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve recommendations, trending boxes and widgets over HTTP from the stored model.",
        discussion: """
            Endpoints under /v1 (docs/http-api.md, /openapi.json), /healthz and /metrics (Prometheus). A model that
            'trendmix build' stores is picked up without a restart. SIGTERM or SIGINT stops after the requests in
            flight.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port).")
    var port = 8080

    @Option(help: "A partner site's origin allowed by CORS, e.g. https://news.example (repeatable).")
    var corsOrigin: [String] = []

    @Option(help: "Requests served at once before answering 503.")
    var maxInFlight = 256

    @Option(help: "Answers kept in memory by model revision and request (0: rank every request).")
    var cachedAnswers = 20_000

    @Option(help: "Seconds between checks for a newly built model.")
    var reloadSeconds = 2.0

    @Option(
        help: ArgumentHelp(
            "Seconds a connection may stay open without a request in progress (0: no limit).",
            discussion: "Keep it above a reverse proxy's keep-alive to the server (nginx: 60)."))
    var idleTimeout = 75.0

    @Option(help: "Seconds from a request's first byte to the end of its head (0: no limit).")
    var headerTimeout = 20.0

    @Option(help: "Seconds from a request's head to the end of its body (0: no limit).")
    var bodyTimeout = 30.0

    @Option(
        help: ArgumentHelp(
            "Connections open at once (default: 4/5 of the file limit).",
            discussion: "At the cap the connection idle the longest is closed to make room; when all are busy, "
                + "more wait in the listen backlog."))
    var maxConnections: Int?

    @Flag(inversion: .prefixedNo, help: "One log line per request at info: method, path, route, status, latency.")
    var accessLog = true

    @Option(help: "At most this many request lines a second; the rest are counted into one line (0: no cap).")
    var accessLogPerSecond = 200

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(
        help: ArgumentHelp(
            "A file holding the token back ends write with (Authorization: Bearer <token>).",
            discussion: "Without it, events and articles are taken from this machine's loopback only."))
    var writeTokenFile: String?

    @Option(help: "Impressions and clicks a minute one browser may send without the token (0: no limit).")
    var beaconsPerMinute = 600

    @Flag(help: "Count browsers by the last X-Forwarded-For address (behind a reverse proxy that sets it).")
    var trustForwardedFor = false

    @Option(
        help: ArgumentHelp(
            "An A/B test arm: its mix settings and the share of readers it gets (repeatable).",
            discussion: """
                Readers are split by a stable hash of their id; those no variant takes get the stored model's \
                settings, as 'control'. A variant may change mix and calibration settings only. Without a share, \
                a variant gets an equal part of what the others leave.
                """, valueName: "name=config.json[:share]"))
    var variant: [String] = []

    func validate() throws {
        try database.requireExisting()
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard cachedAnswers >= 0 else { throw ValidationError("--cached-answers must not be negative") }
        guard reloadSeconds > 0 else { throw ValidationError("--reload-seconds must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard idleTimeout >= 0, idleTimeout <= 86_400 else {
            throw ValidationError("--idle-timeout must be from 0 to 86400 seconds")
        }
        guard headerTimeout >= 0, headerTimeout <= 86_400 else {
            throw ValidationError("--header-timeout must be from 0 to 86400 seconds")
        }
        guard bodyTimeout >= 0, bodyTimeout <= 86_400 else {
            throw ValidationError("--body-timeout must be from 0 to 86400 seconds")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard accessLogPerSecond >= 0 else { throw ValidationError("--access-log-per-second must not be negative") }
        guard beaconsPerMinute >= 0 else { throw ValidationError("--beacons-per-minute must not be negative") }
        for origin in corsOrigin where !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw ValidationError("--cors-origin must be an http(s) origin, got '\(origin)'")
        }
    }

    func run() async throws {
        var configuration = ServerConfiguration(database: database.db)
        configuration.host = host
        configuration.port = port
        configuration.corsOrigins = corsOrigin
        configuration.maxInFlight = maxInFlight
        configuration.cachedAnswers = cachedAnswers
        configuration.reloadInterval = .milliseconds(Int64(reloadSeconds * 1000))
        configuration.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        configuration.writeToken = try writeTokenFile.map(Self.readToken)
        configuration.beaconsPerMinute = beaconsPerMinute
        configuration.trustForwardedFor = trustForwardedFor
        configuration.accessLog = accessLog
        configuration.accessLogPerSecond = accessLogPerSecond
        configuration.idleTimeout = idleTimeout > 0 ? .milliseconds(Int64(idleTimeout * 1000)) : nil
        configuration.headerTimeout = headerTimeout > 0 ? .milliseconds(Int64(headerTimeout * 1000)) : nil
        configuration.bodyTimeout = bodyTimeout > 0 ? .milliseconds(Int64(bodyTimeout * 1000)) : nil
        if let maxConnections { configuration.maxConnections = maxConnections }
        if !variant.isEmpty {
            configuration.test = try await reportingErrors { try ABTest(variant.map { try ABVariant(parsing: $0) }) }
        }
        configuration.onListening = { host, port in
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        let app = try await reportingErrors { try await buildApplication(configuration) }
        try await app.runService()
    }

    /// The token: the file's first line, trimmed; at least 16 characters, printable ASCII without spaces.
    static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--write-token-file: cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--write-token-file: \(path), line 1: not UTF-8 text")
        }
        let token = (text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ValidationError(
                "--write-token-file: \(path), line 1: the token must be at least 16 printable ASCII characters "
                    + "without spaces (for example: openssl rand -hex 32 > \(path))")
        }
        return token
    }
}
