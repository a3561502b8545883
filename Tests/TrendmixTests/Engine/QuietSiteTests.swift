import Foundation
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Issue 18, item 11: `build` and `stats` say which sites have gone quiet, and their articles are not trending.
@Suite struct QuietSiteTests {
    @Test func buildAndStatsWarnAboutASiteWhoseActivityEndedLongAgo() async throws {
        let dir = try TemporaryDirectory("quiet")
        var files = Fixtures.canonical
        files["sites.csv", default: ""] += "archive,The Archive,blog,https://archive.example.com\n"
        files["articles.csv", default: ""] += "archive,old1,,Old news,2019-01-01,en,japan\n"
        files["events.csv", default: ""] += "q1,archive,old1,dave,,view,2020-05-01T00:00:00Z,\n"
        for (name, text) in files { try dir.write(name, text) }
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.path))
        let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        #expect(engine.warnings.count == 1)
        #expect(engine.warnings.first?.contains("site 'archive' has had no events for 1399 days") == true)
        let text = try store.statistics().text
        #expect(text.contains("warning: site 'archive' has had no events for 1399 days (the last on 2020-05-01)"))
        #expect(!text.contains("site 'news'"))
        // Its article may fill a box, but never as trending.
        let box = try engine.trending(host: "news", k: 8)
        #expect(box.contains { $0.site == "archive" && $0.reason == "newest" })
        #expect(!box.contains { $0.site == "archive" && $0.reason == "trending" })
    }
}
