import Foundation
import Testing
import Trendmix
import TrendmixStore
import TrendmixTestSupport

@Suite struct DemoTests {
    @Test func importsTheDemoDataIntoAFreshDatabase() async throws {
        let dir = try TemporaryDirectory("demo")
        let path = dir.file("demo.sqlite")
        let result = try await Demo.run(
            dataFolder: Locations.demoData, databasePath: path, widgetsFolder: dir.file("w"))
        #expect(result.statistics.sites.count == 8)
        #expect(result.statistics.articles == 2_864)
        #expect(result.statistics.events == 22_963)
        #expect(result.statistics.dailyRows == 19_263)
        #expect(result.statistics.links == 856)
        // Every site ends on the aligned day.
        #expect(Set(result.statistics.sites.compactMap { $0.lastEvent?.isoDate }) == ["2026-11-27"])
        // Running it again starts from scratch rather than piling up.
        let again = try await Demo.run(dataFolder: Locations.demoData, databasePath: path, widgetsFolder: dir.file("w"))
        #expect(again.summary.events.added == 22_963)
        #expect(again.statistics.events == 22_963)
        #expect(again.widgets.siteWidgets == 8 && again.widgets.articleWidgets == 2_864)
        #expect(FileManager.default.fileExists(atPath: dir.file("w/index.html")))
    }

    @Test func theDemoDataStaysUnderFiveMegabytes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Locations.demoData)
        let bytes = try files.reduce(0) { total, name in
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(Locations.demoData)/\(name)")
            return total + ((attributes[.size] as? Int) ?? 0)
        }
        #expect(bytes < 5_000_000)
    }

    @Test func statisticsTextListsEverySite() throws {
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: Locations.demoData))
        let text = try store.statistics().text
        for slug in ["beer", "italian", "quantumcomputing", "devops.meta"] { #expect(text.contains(slug)) }
        #expect(text.contains("events by type: comment 13173"))
    }
}
