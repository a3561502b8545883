import Foundation
import Hummingbird
import Synchronization

/// Who may write. Back ends post events (and articles) with `Authorization: Bearer <token>`, the token read by
/// `serve --write-token-file`; without a token file the server takes such writes from the loopback only (a back
/// end on the same machine, the tests), so a server opened to the network is never writable by anyone who finds it.
/// Browsers' beacons (impressions and clicks) need no token: they are validated, size-limited and counted per
/// client by ``BeaconLimiter``.
struct WriteAccess: Sendable {
    let token: [UInt8]?

    init(token: String?) {
        self.token = token.map { Array($0.utf8) }
    }

    /// Throws 401 (token configured, missing or wrong) or 403 (no token configured, peer not on the loopback).
    func check(_ request: Request, context: AppRequestContext) throws {
        if let token {
            let given = request.headers[.authorization].flatMap { header -> [UInt8]? in
                let parts = header.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
                return Array(parts[1].trimmingCharacters(in: .whitespaces).utf8)
            }
            guard let given, Self.constantTimeEqual(given, token) else {
                var error = APIError(
                    .unauthorized, "unauthorized",
                    "this write needs Authorization: Bearer <token>, the token in serve's --write-token-file")
                error.headers[.wwwAuthenticate] = "Bearer realm=\"trendmix\""
                throw error
            }
        } else if !Self.isLoopback(context.peer) || Self.relayed(request) {
            // A proxy on this machine connects from the loopback for clients anywhere, and a browser on this machine
            // may be made to post by any page it shows (an Origin on every cross-site or rebound request): neither
            // is a back end of this machine.
            throw APIError(
                .forbidden, "writes_need_token",
                "this server takes writes from its own machine only; start it with --write-token-file to take "
                    + "them from elsewhere with Authorization: Bearer <token>")
        }
    }

    static let forwardedFor = HTTPFields.Element.Name("X-Forwarded-For")
    /// Headers that say a request was relayed for someone else (a proxy) or sent by a browser for a page.
    static let relayHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP", "Via", "Origin"].compactMap {
        HTTPFields.Element.Name($0)
    }

    /// The request's `X-Forwarded-For`, nil without one.
    static func forwarded(_ request: Request) -> String? { forwardedFor.flatMap { request.headers[$0] } }

    /// Whether the request came through a proxy or from a browser page (``relayHeaders``, or a `Sec-Fetch-Site`
    /// other than `none`).
    static func relayed(_ request: Request) -> Bool {
        if relayHeaders.contains(where: { request.headers[$0] != nil }) { return true }
        if let name = HTTPFields.Element.Name("Sec-Fetch-Site"), let site = request.headers[name], site != "none" {
            return true
        }
        return false
    }

    /// Equal bytes, in a time that depends on the lengths only (not on where the first difference is).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = 0
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }

    /// 127.0.0.0/8, ::1 and IPv4-mapped loopback; nil (the in-process test client has no socket) counts as local.
    static func isLoopback(_ ip: String?) -> Bool {
        guard let ip else { return true }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}

/// A token bucket per client address for browser beacons: each client may send `perMinute` interactions a
/// minute on average, in bursts of up to one minute's worth; more are answered 429 with `Retry-After`. The table
/// holds at most `maxClients` addresses (the least recently seen half is dropped when it is full), so a flood of
/// addresses costs bounded memory.
final class BeaconLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    let perMinute: Int
    let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, maxClients: Int = 100_000) {
        self.perMinute = perMinute
        self.maxClients = maxClients
    }

    /// The client a request counts against: the peer's address, or with `trustForwardedFor` (a reverse proxy in
    /// front, which appends the address it saw) the last address of `X-Forwarded-For`.
    static func client(_ request: Request, _ context: AppRequestContext, trustForwardedFor: Bool) -> String {
        if trustForwardedFor, let forwarded = WriteAccess.forwarded(request),
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return network(last)
        }
        return context.peer.map(Self.network) ?? "local"
    }

    /// The address a client is counted by: IPv4 as it is; IPv6 by its /64 network (one subscriber's usual
    /// allocation: counting each address of it apart would let one client rotate through 2^64).
    static func network(_ ip: String) -> String {
        guard ip.contains(":"), !ip.hasPrefix("::ffff:") else { return ip }
        var bytes = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, ip, &bytes) == 1 else { return ip }
        return bytes.prefix(8).map { String(format: "%02x", $0) }.joined() + "::/64"
    }

    /// Takes `count` interactions from the client's bucket, or throws 429 when it does not hold them (413 when
    /// one request holds more than a minute's allowance: waiting would never help).
    func take(_ count: Int, client key: String, now: UInt64 = DispatchTime.now().uptimeNanoseconds) throws {
        guard perMinute > 0 else { return }
        guard count <= perMinute else {
            throw APIError(
                .contentTooLarge, "too_many_impressions",
                "\(count) impressions and clicks in one request, more than this server takes from a client in a "
                    + "minute (\(perMinute)); send fewer at a time")
        }
        let capacity = Double(perMinute)
        let wait: Double? = buckets.withLock { table in
            if table.count >= maxClients, table[key] == nil {
                let byAge = table.sorted { $0.value.updated < $1.value.updated }
                for (old, _) in byAge.prefix(table.count / 2) { table[old] = nil }
            }
            var bucket = table[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = Double(now &- bucket.updated) / 1e9
            bucket.tokens = min(capacity, bucket.tokens + elapsed * capacity / 60)
            bucket.updated = now
            defer { table[key] = bucket }
            guard bucket.tokens >= Double(count) else {
                return (Double(count) - bucket.tokens) * 60 / capacity
            }
            bucket.tokens -= Double(count)
            return nil
        }
        if let wait {
            var error = APIError(
                .tooManyRequests, "rate_limited",
                "more than \(perMinute) impressions and clicks a minute from this client; retry later")
            error.headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
            throw error
        }
    }
}
