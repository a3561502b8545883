import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import TrendmixServer

/// Issue 22, item 3: articles over HTTP (`POST /v1/articles`), events that name their article by URL.
@Suite struct ArticlesTests {
    static let token: HTTPFields = [.authorization: "Bearer a-token-of-some-length"]

    static func body(_ articles: String...) -> ByteBuffer {
        ByteBuffer(string: #"{"articles":[\#(articles.joined(separator: ","))]}"#)
    }

    @Test func articlesAreCreatedUpdatedAndTakenDownOverHTTP() async throws {
        let dir = try TemporaryDirectory("server")
        let path = try await fixtureDatabase(dir)
        try await app(path) { $0.writeToken = "a-token-of-some-length" }.test(.router) { client in
            let fresh =
                #"{"site":"travel","id":"t9","url":"https://travel.example.com/t9?utm_source=x","title":"Mount Fuji at dawn","published_at":"2024-03-01T06:00:00Z","tags":["nature","Japan"],"image_url":"https://img.example.com/fuji.jpg","author":"Kenji","section":"Outdoors","description":"Before the crowds."}"#
            // Without the token: refused, nothing stored.
            let refused = try await client.execute(uri: "/v1/articles", method: .post, body: Self.body(fresh))
            #expect(refused.status == .unauthorized)
            let created = try await client.execute(
                uri: "/v1/articles", method: .post, headers: Self.token, body: Self.body(fresh))
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let counts = try json(created.body)
            #expect(counts["added"] as? Int == 1 && counts["applied_to_boxes"] as? Int == 0)  // new: next build
            let again = try await client.execute(
                uri: "/v1/articles", method: .post, headers: Self.token, body: Self.body(fresh))
            #expect(try json(again.body)["unchanged"] as? Int == 1)
            // t1 shows in news's box; taken down (expired a minute ago) it leaves the box at once.
            let before = try await client.execute(uri: "/v1/sites/news/widget.html", method: .get)
            #expect(String(buffer: before.body).contains("data-article=\"t1\""))
            let takenDown =
                #"{"site":"travel","id":"t1","url":"https://travel.example.com/t1","title":"Half Moon Lake (closed)","expires_at":\#(Timestamp.wallClock().milliseconds / 1000 - 60)}"#
            let updated = try await client.execute(
                uri: "/v1/articles", method: .post, headers: Self.token, body: Self.body(takenDown))
            #expect(
                try json(updated.body)["updated"] as? Int == 1 && json(updated.body)["applied_to_boxes"] as? Int == 1)
            let after = try await client.execute(uri: "/v1/sites/news/widget.html", method: .get)
            #expect(!String(buffer: after.body).contains("data-article=\"t1\""))
            // Bad fields are named, and nothing of the batch is stored.
            for (article, field) in [
                (#"{"site":"travel","id":"t8","image_url":"javascript:alert(1)"}"#, "articles[1].image_url"),
                (#"{"site":"travel","id":"t8","view_count":-3}"#, "articles[1].view_count"),
                (#"{"site":"travel","id":"t8","tags":["a|b"]}"#, "articles[1].tags"),
                (#"{"site":"travel","id":"t8","colour":"red"}"#, "colour"),
                (#"{"site":"travel"}"#, "articles[1].id"),
                (#"{"site":"travel","id":"t8","expires_at":"soon"}"#, "articles[1].expires_at"),
            ] {
                let good = #"{"site":"travel","id":"t7"}"#
                let bad = try await client.execute(
                    uri: "/v1/articles", method: .post, headers: Self.token, body: Self.body(good, article))
                #expect(bad.status == .badRequest, "\(article)")
                #expect(String(buffer: bad.body).contains(field), "\(String(buffer: bad.body))")
            }
            let unknown = try await client.execute(
                uri: "/v1/articles", method: .post, headers: Self.token,
                body: Self.body(#"{"site":"mars","id":"m1"}"#))
            #expect(unknown.status == .notFound)
        }
        let store = try SQLiteArticleStore(path: path)
        let t9 = try #require(try store.article(site: "travel", externalID: "t9"))
        #expect(t9.url == "https://travel.example.com/t9" && t9.tags == ["nature", "japan"])
        #expect(t9.card.author == "Kenji" && t9.card.section == "Outdoors")
        #expect(try store.article(site: "travel", externalID: "t7") == nil)  // the refused batches stored nothing
        #expect(try store.article(site: "travel", externalID: "t1")?.title == "Half Moon Lake (closed)")
    }

    @Test func eventsMayNameTheirArticleByURL() async throws {
        let dir = try TemporaryDirectory("server")
        let path = try await fixtureDatabase(dir)
        try await app(path).test(.router) { client in
            // The URL as a page has it: another case, a trailing slash and tracking parameters; no time (now).
            let event =
                #"{"events":[{"id":"u1","site":"travel","article":"HTTPS://Travel.Example.com/t1/?utm_campaign=x","type":"view"}]}"#
            let posted = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(string: event))
            #expect(posted.status == .ok, "\(String(buffer: posted.body))")
            let missing =
                #"{"events":[{"id":"u2","site":"travel","article":"https://travel.example.com/nowhere","type":"view"}]}"#
            let refused = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(string: missing))
            #expect(refused.status == .notFound)
            #expect(String(buffer: refused.body).contains("events[0].article"))
            // A URL whose first character after the slashes joins the second slash into one character (an emoji
            // modifier): still a URL, not an id with a control character (schemathesis found it refused as one).
            let modifier =
                #"{"events":[{"id":"u3","site":"travel","article":"hTtp://\ud83c\udffbx.example/\u0085","type":"view"}]}"#
            let joined = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(string: modifier))
            #expect(joined.status == .notFound, "\(String(buffer: joined.body))")
        }
        var stored: [String] = []
        try SQLiteArticleStore(path: path).forEachEvent(from: nil, to: nil) {
            if $0.sourceID.hasPrefix("u") { stored.append($0.article) }
        }
        #expect(stored == ["t1"])
    }
}
