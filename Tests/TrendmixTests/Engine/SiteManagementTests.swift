import Foundation
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Issue 18, item 6: a site can be renamed and deleted whole, and the stored model keeps serving the others.
@Suite struct SiteManagementTests {
    static func store(_ dir: TemporaryDirectory) async throws -> SQLiteArticleStore {
        for (name, text) in Fixtures.canonical { try dir.write("fixture/\(name)", text) }
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(CanonicalImporter(path: dir.file("fixture")))
        try await RecommendationEngine.build(store: store, configuration: EngineConfiguration(), now: Fixtures.now)
            .save(
                to: store)
        return store
    }

    @Test func deletingASiteRemovesAllOfItInOneGoAndTheModelServesTheOthers() async throws {
        let dir = try TemporaryDirectory("sites")
        let store = try await Self.store(dir)
        let before = try store.statistics()
        let deleted = try store.deleteSite("blog")
        #expect(deleted.articles == 1 && deleted.events == 2 && deleted.readers == 0)
        let after = try store.statistics()
        #expect(after.sites.map(\.slug) == ["news", "travel"])
        #expect(after.articles == before.articles - 1 && after.events == before.events - 2)
        #expect(after.dailyRows == before.dailyRows)
        let engine = try await RecommendationEngine.load(from: store)
        for host in ["news", "travel"] {
            let box = try engine.trending(host: host, now: Fixtures.now)
            #expect(!box.isEmpty && !box.contains { $0.site == "blog" })
        }
        #expect(throws: SiteError.unknown("blog")) { try store.deleteSite("blog") }
    }

    @Test func aReaderOfOnlyTheDeletedSiteGoesWithIt() async throws {
        let dir = try TemporaryDirectory("sites")
        let store = try await Self.store(dir)
        // carol read only travel.
        #expect(try store.deleteSite("travel").readers == 1)
        #expect(try store.statistics().readers == 2)
    }

    @Test func renamingKeepsEveryRecordAndRefusesATakenOrInvalidSlug() async throws {
        let dir = try TemporaryDirectory("sites")
        let store = try await Self.store(dir)
        try store.renameSite("blog", to: "magazine", name: "The Magazine")
        let stats = try store.statistics()
        let site = try #require(stats.sites.first { $0.slug == "magazine" })
        #expect(site.name == "The Magazine" && site.articles == 1 && site.events == 2)
        #expect(throws: SiteError.taken("news")) { try store.renameSite("magazine", to: "news") }
        #expect(throws: SiteError.invalidSlug("Bad Slug")) { try store.renameSite("magazine", to: "Bad Slug") }
        #expect(throws: SiteError.unknown("blog")) { try store.renameSite("blog", to: "x") }
    }
}
