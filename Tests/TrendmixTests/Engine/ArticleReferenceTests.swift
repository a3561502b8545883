import Foundation
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Issue 18, item 13: an article is named by id, site:id or URL (normalised) wherever one is asked for, and an
/// exclusion that names no article is skipped rather than failing the box.
@Suite struct ArticleReferenceTests {
    static func engine() async throws -> RecommendationEngine {
        let dir = try TemporaryDirectory("refs")
        var files = Fixtures.canonical
        // The id "n1" on two sites.
        files["articles.csv", default: ""] +=
            "travel,n1,https://travel.example.com/n1,Another n1,2024-02-01,en,nature\n"
        files["events.csv", default: ""] += "x1,travel,n1,carol,,view,2024-02-29T12:00:00Z,\n"
        for (name, text) in files { try dir.write(name, text) }
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.path))
        return try await RecommendationEngine.build(
            store: store, configuration: EngineConfiguration(), now: Fixtures.now)
    }

    @Test func namesAnArticleByIdSiteColonIdOrAnyURLSpelling() async throws {
        let engine = try await Self.engine()
        let t1 = try engine.article("t1")
        #expect(try engine.article("travel:t1") == t1)
        #expect(try engine.article("HTTPS://Travel.Example.com/t1/?utm_source=mail#x") == t1)
        #expect(throws: EngineError.ambiguousArticle("n1", sites: ["news", "travel"])) { try engine.article("n1") }
        #expect(try engine.article("news:n1") != engine.article("travel:n1"))
        #expect(throws: EngineError.unknownArticle("mars:n1", site: nil)) { try engine.article("mars:n1") }
    }

    @Test func anExclusionLeavesOutEveryArticleItNamesAndSkipsUnknownOnes() async throws {
        let engine = try await Self.engine()
        let box = try engine.trending(host: "blog", k: 8, exclude: ["n1", "no-such-article"])
        #expect(!box.isEmpty && !box.contains { $0.article == "n1" })
        #expect(engine.unknownReferences(["n1", "no-such-article", "travel:t1"]) == ["no-such-article"])
        let related = try engine.related(article: "b1", k: 8, exclude: ["https://travel.example.com/t1/"])
        #expect(!related.contains { $0.article == "t1" })
    }
}
