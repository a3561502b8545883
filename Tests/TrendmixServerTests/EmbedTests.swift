import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import TrendmixServer

/// What a page that embeds the box needs from the server (issue 22): the script and the stylesheet, a reader's own
/// box as HTML, beacons without a token but within limits, and back-end writes with one.
@Suite struct EmbedTests {
    @Test func theScriptAndTheStylesheetAreServedCacheable() async throws {
        let dir = try TemporaryDirectory("server")
        try await app(try fixtureDatabase(dir)).test(.router) { client in
            let script = try await client.execute(uri: "/v1/embed.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.headers[.cacheControl] == "public, max-age=3600")
            let text = String(buffer: script.body)
            #expect(text.contains("IntersectionObserver") && text.contains("sendBeacon"))
            #expect(text.contains("/v1/impressions") && text.contains("data-trendmix-site"))
            let css = try await client.execute(uri: "/v1/widget.css", method: .get)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(String(buffer: css.body).contains(".trendmix-item"))
        }
    }

    @Test func aReadersBoxIsTheirsAndPrivate() async throws {
        let dir = try TemporaryDirectory("server")
        try await app(try fixtureDatabase(dir)).test(.router) { client in
            // alice read t1 (travel): everyone's box on news shows it, hers does not.
            let everyone = try await client.execute(uri: "/v1/sites/news/widget.html", method: .get)
            #expect(String(buffer: everyone.body).contains("data-article=\"t1\""))
            #expect(everyone.headers[.cacheControl] == "public, max-age=60")
            let hers = try await client.execute(uri: "/v1/sites/news/widget.html?reader=alice", method: .get)
            #expect(hers.status == .ok)
            #expect(!String(buffer: hers.body).contains("data-article=\"t1\""))
            #expect(hers.headers[.cacheControl] == "private, max-age=60")
            // A reader the model has not seen gets everyone's box (still private: it is asked for them).
            let stranger = try await client.execute(uri: "/v1/sites/news/widget.html?reader=zed", method: .get)
            #expect(String(buffer: stranger.body) == String(buffer: everyone.body))
            // The box under an article, for a reader, leaving out what the page already shows.
            let below = try await client.execute(
                uri: "/v1/articles/n1/widget.json?reader=bob&exclude=t1", method: .get)
            let items = try #require(try json(below.body)["items"] as? [[String: Any]])
            #expect(!items.contains { ["t1", "b1"].contains($0["article"] as? String) })  // excluded; bob read b1
        }
    }

    static func beacon(_ count: Int, prefix: String = "v") -> ByteBuffer {
        let items = (0..<count).map {
            #"{"id":"\#(prefix):\#($0)","placement":"below-article","host":"news","seed":"n1","site":"travel","article":"t1","position":\#($0 % 8 + 1)}"#
        }
        return ByteBuffer(string: #"{"impressions":[\#(items.joined(separator: ","))]}"#)
    }

    @Test func beaconsNeedNoTokenButAreLimited() async throws {
        let dir = try TemporaryDirectory("server")
        let path = try await fixtureDatabase(dir)
        let browser: HTTPFields = [.origin: "https://news.example.com", .contentType: "text/plain;charset=UTF-8"]
        try await app(path) {
            $0.writeToken = "a-token-of-some-length"
            $0.beaconsPerMinute = 100
        }.test(.router) { client in
            // As navigator.sendBeacon sends it: text/plain, no token, no time (the server's clock).
            let before = Timestamp.wallClock()
            let seen = try await client.execute(
                uri: "/v1/impressions", method: .post, headers: browser, body: Self.beacon(100))
            #expect(seen.status == .ok, "\(String(buffer: seen.body))")
            #expect(try json(seen.body)["added"] as? Int == 100)
            // More than 100 in one beacon: refused, naming the limit.
            let big = try await client.execute(
                uri: "/v1/impressions", method: .post, headers: browser, body: Self.beacon(101, prefix: "w"))
            #expect(big.status == .badRequest)
            #expect(String(buffer: big.body).contains("at most 100"))
            // The minute's 100 are spent: 60 more is over the rate, 429 with Retry-After (unless 36 s passed,
            // which would refill 60).
            let over = try await client.execute(
                uri: "/v1/impressions", method: .post, headers: browser, body: Self.beacon(60, prefix: "x"))
            #expect(over.status == .tooManyRequests)
            #expect(Int(over.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // A back end with the token is not held to the browsers' limits.
            let backEnd = try await client.execute(
                uri: "/v1/impressions", method: .post,
                headers: [.authorization: "Bearer a-token-of-some-length", .contentType: "application/json"],
                body: Self.beacon(300, prefix: "y"))
            #expect(backEnd.status == .ok)
            let store = try SQLiteArticleStore(path: path)
            let rows = try store.interactionSummary()
            #expect(rows.reduce(0) { $0 + $1.impressions } == 400)
            // Stored at the server's time.
            let dump = try store.dump()
            let section = try #require(dump.components(separatedBy: "## widget_interaction\n").last)
            let times = section.split(separator: "\n").prefix { !$0.hasPrefix("##") }.compactMap { line in
                line.firstMatch(of: /occurred_at:(\d+)/).flatMap { Int64($0.1) }
            }
            #expect(times.count == 400)
            #expect(times.allSatisfy { $0 >= before.milliseconds && $0 <= Timestamp.wallClock().milliseconds })
        }
    }

    @Test func behindAProxyEachForwardedClientHasItsOwnAllowance() async throws {
        let dir = try TemporaryDirectory("server")
        try await app(try fixtureDatabase(dir)) {
            $0.beaconsPerMinute = 1
            $0.trustForwardedFor = true
        }.test(.router) { client in
            func post(_ forwarded: String, _ count: Int, _ prefix: String) async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: "/v1/impressions", method: .post,
                    headers: [.origin: "https://news.example.com", .init("X-Forwarded-For")!: forwarded],
                    body: Self.beacon(count, prefix: prefix)
                ).status
            }
            // One a minute: a second within the minute is over (a machine slowed by a whole test suite took over
            // ten seconds between two requests here once, so nothing shorter is relied on).
            let first = try await post("203.0.113.9, 10.0.0.1", 1, "a")
            let again = try await post("203.0.113.9, 10.0.0.1", 1, "b")
            let other = try await post("10.0.0.2", 1, "c")  // another reader behind the same proxy
            #expect(first == .ok && again == .tooManyRequests && other == .ok)
        }
    }

    @Test func backEndWritesNeedTheToken() async throws {
        let dir = try TemporaryDirectory("server")
        let path = try await fixtureDatabase(dir)
        let event = ByteBuffer(string: #"{"events":[{"id":"w1","site":"news","article":"n1","type":"view"}]}"#)
        try await app(path) { $0.writeToken = "a-token-of-some-length" }.test(.router) { client in
            let none = try await client.execute(uri: "/v1/events", method: .post, body: event)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"trendmix\"")
            #expect(String(buffer: none.body).contains("--write-token-file"))
            let wrong = try await client.execute(
                uri: "/v1/events", method: .post, headers: [.authorization: "Bearer a-token-of-some-lengtH"],
                body: event)
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(
                uri: "/v1/events", method: .post, headers: [.authorization: "Bearer a-token-of-some-length"],
                body: event)
            #expect(right.status == .ok)
            #expect(try json(right.body)["added"] as? Int == 1)
        }
        // Without `time`, the event is stored at the server's clock.
        var stored: Timestamp?
        try SQLiteArticleStore(path: path).forEachEvent(from: nil, to: nil) {
            if $0.sourceID == "w1" { stored = $0.time }
        }
        let time = try #require(stored)
        #expect(abs(time.milliseconds - Timestamp.wallClock().milliseconds) < 60_000)
    }

    @Test func aForwardedRequestIsNotLocal() async throws {
        let dir = try TemporaryDirectory("server")
        let event = ByteBuffer(string: #"{"events":[{"id":"f1","site":"news","article":"n1","type":"view"}]}"#)
        try await app(try fixtureDatabase(dir)).test(.router) { client in
            // No token file: the loopback writes, but not a client a proxy on the loopback forwards.
            let proxied = try await client.execute(
                uri: "/v1/events", method: .post, headers: [.init("X-Forwarded-For")!: "198.51.100.7"], body: event)
            #expect(proxied.status == .forbidden && String(buffer: proxied.body).contains("--write-token-file"))
            // Nor a browser on this machine made to post by a page (cross-site request forgery, DNS rebinding).
            for (name, value) in [
                ("Origin", "https://evil.example"), ("Forwarded", "for=198.51.100.7"), ("X-Real-IP", "198.51.100.7"),
                ("Via", "1.1 proxy"), ("Sec-Fetch-Site", "cross-site"),
            ] {
                let relayed = try await client.execute(
                    uri: "/v1/events", method: .post, headers: [.init(name)!: value], body: event)
                #expect(relayed.status == .forbidden, "\(name)")
            }
            let local = try await client.execute(uri: "/v1/events", method: .post, body: event)
            #expect(local.status == .ok)
        }
    }

    @Test func tokensCompareWholeAndOnlyTheLoopbackWritesWithoutOne() {
        #expect(WriteAccess.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!WriteAccess.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!WriteAccess.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!WriteAccess.constantTimeEqual([], Array("a".utf8)))
        // Lengths differing by a multiple of 256, the rest zeros: still different.
        #expect(
            !WriteAccess.constantTimeEqual(Array("abc".utf8), Array("abc".utf8) + [UInt8](repeating: 0, count: 256)))
        // IPv6 clients count by their /64; IPv4 and mapped IPv4 as they are.
        #expect(BeaconLimiter.network("2001:db8:1:2:aaaa::1") == BeaconLimiter.network("2001:db8:1:2:bbbb::9"))
        #expect(BeaconLimiter.network("2001:db8:1:2::1") != BeaconLimiter.network("2001:db8:1:3::1"))
        #expect(BeaconLimiter.network("203.0.113.9") == "203.0.113.9")
        for ip in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            #expect(WriteAccess.isLoopback(ip), "\(ip)")
        }
        for ip in ["10.0.0.1", "192.168.1.2", "::2", "fe80::1", "128.0.0.1"] {
            #expect(!WriteAccess.isLoopback(ip), "\(ip)")
        }
    }

    @Test func theBeaconBucketRefillsWithTime() throws {
        let limiter = BeaconLimiter(perMinute: 60)
        try limiter.take(60, client: "a", now: 0)
        #expect(throws: APIError.self) { try limiter.take(1, client: "a", now: 0) }
        // More in one request than a minute's allowance: 413, not a 429 that waiting could never satisfy.
        do {
            try limiter.take(61, client: "z", now: 0)
            Issue.record("61 of a 60 a minute allowance were taken")
        } catch let error as APIError {
            #expect(error.status == .contentTooLarge)
        }
        try limiter.take(60, client: "b", now: 0)  // another client has its own bucket
        try limiter.take(10, client: "a", now: 10_000_000_000)  // ten seconds: ten more
        #expect(throws: APIError.self) { try limiter.take(1, client: "a", now: 10_000_000_000) }
        // A full table drops its least recently seen half rather than growing.
        let small = BeaconLimiter(perMinute: 10, maxClients: 4)
        for (i, client) in ["p", "q", "r", "s", "t"].enumerated() { try small.take(1, client: client, now: UInt64(i)) }
    }

    @Test func aReadersArmIsNamedInTheBoxAndCountedInClickThrough() async throws {
        let dir = try TemporaryDirectory("server")
        let path = try await fixtureDatabase(dir)
        var wide = EngineConfiguration()
        wide.model.mix.includeHostSite = true
        let test = try ABTest([ABVariant(name: "wide", configuration: wide, share: 0.5)])
        // Two readers, one in each arm (the assignment is a fixed hash: found here, not assumed).
        let readers = (0..<100).map { "reader-\($0)" }
        let inWide = try #require(readers.first { test.assign(reader: $0) == 0 })
        let inControl = try #require(readers.first { test.assign(reader: $0) == nil })
        try await app(path) { $0.test = test }.test(.router) { client in
            let a = try await client.execute(uri: "/v1/sites/news/widget.html?reader=\(inWide)", method: .get)
            #expect(String(buffer: a.body).contains("data-variant=\"wide\""))
            let b = try await client.execute(uri: "/v1/sites/news/widget.json?reader=\(inControl)", method: .get)
            #expect(try json(b.body)["variant"] as? String == "control")
            let anonymous = try await client.execute(uri: "/v1/sites/news/widget.html", method: .get)
            #expect(!String(buffer: anonymous.body).contains("data-variant"))
            // The wide arm's box may hold the host's own articles first; the control's keeps them last.
            let wideItems = try #require(
                try json(
                    try await client.execute(uri: "/v1/sites/news/widget.json?reader=\(inWide)", method: .get).body)[
                        "items"] as? [[String: Any]])
            #expect(wideItems.contains { $0["site"] as? String == "news" })
            // Impressions report the arm back; the report counts them by it.
            let impressions = (0..<4).map { i in
                #"{"id":"ab\#(i)","kind":"\#(i == 3 ? "click" : "impression")","placement":"p","host":"news","site":"travel","article":"t1","position":1,"variant":"\#(i < 2 ? "control" : "wide")"}"#
            }
            let posted = try await client.execute(
                uri: "/v1/impressions", method: .post,
                body: ByteBuffer(string: #"{"impressions":[\#(impressions.joined(separator: ","))]}"#))
            #expect(posted.status == .ok, "\(String(buffer: posted.body))")
            let bad = try await client.execute(
                uri: "/v1/impressions", method: .post,
                body: ByteBuffer(
                    string:
                        #"{"impressions":[{"id":"x","placement":"p","host":"news","site":"travel","article":"t1","position":1,"variant":"Wide Arm"}]}"#
                ))
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("impressions[0].variant"))
            let report = try await client.execute(uri: "/v1/stats/ctr?by=variant", method: .get)
            #expect(report.status == .ok)
            let rows = try #require(try json(report.body)["rows"] as? [[String: Any]])
            #expect(rows.map { $0["variant"] as? String } == ["control", "wide"])
            #expect(rows.map { $0["impressions"] as? Int } == [2, 1] && rows.map { $0["clicks"] as? Int } == [0, 1])
            #expect(rows[1]["versus"] as? String == "control")
            for bad in ["colour", "", "variant,,site"] {
                let unknown = try await client.execute(uri: "/v1/stats/ctr?by=\(bad)", method: .get)
                #expect(unknown.status == .badRequest, "by=\(bad)")
            }
        }
        // The report is operators' data: with a token configured, it needs it.
        try await app(path) { $0.writeToken = "a-token-of-some-length" }.test(.router) { client in
            let report = try await client.execute(uri: "/v1/stats/ctr", method: .get)
            #expect(report.status == .unauthorized)
        }
    }

    @Test func anArticleLeavesServedBoxesTheMomentItExpires() async throws {
        let dir = try TemporaryDirectory("server")
        let path = try await fixtureDatabase(dir)
        let token: HTTPFields = [.authorization: "Bearer a-token-of-some-length"]
        try await app(path) { $0.writeToken = "a-token-of-some-length" }.test(.router) { client in
            // t1 is set to expire a few seconds from now (real time: the server's clock decides, not the model's),
            // through POST /v1/articles, which applies to the served boxes at once. A machine too busy to ask for
            // the box before that moment tries again with more room.
            for margin in [3_000, 15_000, 60_000] as [Int64] {
                let expiry = Timestamp(milliseconds: Timestamp.wallClock().milliseconds + margin)
                let article =
                    #"{"articles":[{"site":"travel","id":"t1","url":"https://travel.example.com/t1","title":"Half Moon Lake","published_at":"2024-01-15","tags":["nature","japan"],"expires_at":"\#(expiry.iso8601)"}]}"#
                let posted = try await client.execute(
                    uri: "/v1/articles", method: .post, headers: token, body: ByteBuffer(string: article))
                #expect(posted.status == .ok, "\(String(buffer: posted.body))")
                let before = try await client.execute(uri: "/v1/sites/news/widget.html", method: .get)
                guard Timestamp.wallClock() < expiry else { continue }
                #expect(String(buffer: before.body).contains("data-article=\"t1\""))
                // Cached (here and by HTTP caches) no longer than until the expiry.
                let age = Int(before.headers[.cacheControl]?.split(separator: "=").last ?? "") ?? 99
                #expect(Int64(age) * 1000 <= margin, "\(before.headers[.cacheControl] ?? "")")
                let tag = try #require(before.headers[.eTag])
                try await Task.sleep(
                    for: .milliseconds(Int(expiry.milliseconds - Timestamp.wallClock().milliseconds) + 200))
                let after = try await client.execute(
                    uri: "/v1/sites/news/widget.html", method: .get, headers: [.ifNoneMatch: tag])
                #expect(after.status == .ok)  // not 304: the answer changed
                #expect(!String(buffer: after.body).contains("data-article=\"t1\""))
                let json = try await client.execute(uri: "/v1/sites/news/trending", method: .get)
                #expect(!String(buffer: json.body).contains("\"t1\""))
                return
            }
            Issue.record("the box was never asked for before t1 expired, even with a minute's room")
        }
    }

}

/// Issue 23, item 1: access-log lines are capped per second, the rest summarised.
@Suite struct AccessLogSamplerTests {
    @Test func linesPastTheCapAreCountedAndSummarisedTheNextSecond() {
        let sampler = AccessLogSampler(perSecond: 3)
        let statuses = [200, 200, 200, 200, 304, 503, 404]
        let admitted = statuses.map { sampler.admit(status: $0, now: 5_000) }
        #expect(admitted.map(\.write) == [true, true, true, false, false, false, false])
        #expect(admitted.allSatisfy { $0.summary == nil })
        let next = sampler.admit(status: 200, now: 6_010)
        #expect(next.write)
        #expect(next.summary?.hasPrefix("4 more requests") == true)
        #expect(next.summary?.hasSuffix("1 2xx, 1 3xx, 1 4xx, 1 5xx") == true, "\(next.summary ?? "")")
        #expect(sampler.admit(status: 200, now: 6_020).summary == nil)  // said once
        let uncapped = AccessLogSampler(perSecond: 0)
        #expect((0..<1_000).allSatisfy { _ in uncapped.admit(status: 200, now: 1).write })
    }
}
