import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import Trendmix

/// Issue 22, item 4: richer cards (image, author, section, description) and an expiry time on articles: imported,
/// stored alike by both stores, shown in JSON and HTML boxes, and an expired article never shown.
@Suite struct ArticleCardTests {
    static let cards = """
        site,id,url,title,published_at,tags,image_url,author,section,description,expires_at
        news,n1,https://news.example.com/n1,"Trash Talk",2024-02-28T09:00:00Z,japan,https://img.example.com/n1.jpg?w=320&h=200,Aiko Tanaka,Living,"Where the bins go, and when.",
        travel,t1,https://travel.example.com/t1,Half Moon Lake,2024-01-15,nature,,,Fashion,,2024-03-01T11:00:00Z
        blog,b1,https://blog.example.com/b1,Plus Size Clothes,1709200000,fashion,,,,,2024-03-10T00:00:00Z

        """

    /// The canonical fixture with `cards` imported over its articles.
    static func store(_ dir: TemporaryDirectory) throws -> SQLiteArticleStore {
        for (name, text) in Fixtures.canonical { try dir.write("fixture/\(name)", text) }
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(CanonicalImporter(path: dir.file("fixture")))
        try dir.write("cards/articles.csv", cards)
        let summary = try store.run(CanonicalImporter(path: dir.file("cards")))
        #expect(summary.articles.updated == 3)
        return store
    }

    @Test func cardsAreImportedStoredAndExportedAndBadOnesNamed() throws {
        let dir = try TemporaryDirectory("cards")
        let store = try Self.store(dir)
        let n1 = try #require(try store.article(site: "news", externalID: "n1"))
        #expect(
            n1.card
                == ArticleCard(
                    imageURL: "https://img.example.com/n1.jpg?w=320&h=200", author: "Aiko Tanaka", section: "Living",
                    description: "Where the bins go, and when."))
        #expect(n1.expiresAt == nil)
        #expect(try store.article(site: "travel", externalID: "t1")?.expiresAt?.iso8601 == "2024-03-01T11:00:00.000Z")
        // The same file again changes nothing.
        #expect(try store.run(CanonicalImporter(path: dir.file("cards"))).articles.unchanged == 3)
        // Exported and imported into a new store: the same cards.
        let out = dir.file("export")
        _ = try CanonicalExporter(store: store).write(to: out)
        let again = try SQLiteArticleStore(path: dir.file("again.sqlite"))
        _ = try again.run(CanonicalImporter(path: out))
        #expect(try again.articles(site: "news") == store.articles(site: "news"))
        #expect(try again.articles(site: "travel") == store.articles(site: "travel"))
        // Bad fields are named with their line, and nothing is stored.
        for (row, field) in [
            ("news,n9,,x,,javascript:alert(1),,,,", "image_url"),
            ("news,n9,,x,,,,,\(String(repeating: "d", count: 1001)),", "description"),
            ("news,n9,,x,,,,,,next tuesday", "expires_at"),
        ] {
            try dir.write(
                "bad/articles.csv",
                "site,id,url,title,tags,image_url,author,section,description,expires_at\n" + row + "\n")
            let before = try store.dump()
            #expect(throws: ImportError.self) { try store.run(CanonicalImporter(path: dir.file("bad"))) }
            do {
                _ = try store.run(CanonicalImporter(path: dir.file("bad")))
            } catch {
                #expect("\(error)".contains("articles.csv:2") && "\(error)".contains(field), "\(error)")
            }
            #expect(try store.dump() == before)
        }
    }

    @Test func anExpiredArticleIsNeverShown() async throws {
        let dir = try TemporaryDirectory("cards")
        let store = try Self.store(dir)
        let engine = try await RecommendationEngine.build(
            store: store, configuration: EngineConfiguration(), now: Fixtures.now)
        // t1 expired at 11:00, an hour before the build's now (12:00): in no box, whoever asks.
        for host in ["news", "blog"] {
            #expect(!(try engine.trending(host: host, k: 8)).contains { $0.article == "t1" })
        }
        #expect(!(try engine.related(article: "n1", k: 8)).contains { $0.article == "t1" })
        // b1 expires on 10 March: shown at the build's now, gone for a box shown on 11 March.
        #expect(try engine.trending(host: "news", k: 8).contains { $0.article == "b1" })
        let later = Timestamp(milliseconds: Fixtures.now.milliseconds + 10 * Timestamp.millisecondsPerDay)
        #expect(!(try engine.trending(host: "news", k: 8, visibleAt: later)).contains { $0.article == "b1" })
        #expect(engine.nextExpiry(after: Fixtures.now)?.iso8601 == "2024-03-10T00:00:00.000Z")
        #expect(engine.expiriesPassed(by: Fixtures.now) == 1 && engine.expiriesPassed(by: later) == 2)
        // The card travels with the item into the JSON and the HTML box.
        let widget = Widget(engine: engine, host: 1, seed: nil, k: 8, now: Fixtures.now)  // travel hosts
        let json = WidgetRenderer.json(widget)
        #expect(json.contains(#""author":"Aiko Tanaka""#) && json.contains(#""section":"Living""#))
        #expect(json.contains(#""image_url":"https://img.example.com/n1.jpg?w=320&h=200""#))
        let html = WidgetRenderer.html(widget)
        #expect(
            html.contains(
                #"<img class="trendmix-image" src="https://img.example.com/n1.jpg?w=320&amp;h=200" alt="" loading="lazy">"#
            ))
        #expect(html.contains(#"<span class="trendmix-tag trendmix-section">Living</span>"#))
        #expect(html.contains(#"<span class="trendmix-author">Aiko Tanaka</span>"#))
        #expect(html.contains(#"<p class="trendmix-description">Where the bins go, and when.</p>"#))
    }

    @Test func bothStoresKeepCardsAndExpiriesAlike() async throws {
        guard PostgresDatabase.server != nil || PostgresDatabase.required else {
            print("skipped: no PostgreSQL test server (TRENDMIX_TEST_POSTGRES)")
            return
        }
        let dir = try TemporaryDirectory("cards")
        let sqlite = try Self.store(dir)
        let database = try PostgresDatabase()
        let pg = try PostgresStore(url: database.url)
        _ = try pg.run(CanonicalImporter(path: dir.file("fixture")))
        _ = try pg.run(CanonicalImporter(path: dir.file("cards")))
        #expect(try pg.run(CanonicalImporter(path: dir.file("cards"))).articles.unchanged == 3)
        for site in ["news", "travel", "blog"] { #expect(try pg.articles(site: site) == sqlite.articles(site: site)) }
        let a = try sqlite.snapshot(from: nil, to: nil).articles
        let b = try pg.snapshot(from: nil, to: nil).articles
        #expect(a.card == b.card && a.expiresAt == b.expiresAt && a.card.compactMap { $0 }.count == 2)
    }
}
