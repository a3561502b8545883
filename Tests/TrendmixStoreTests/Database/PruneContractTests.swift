import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Issue 22, item 6: `prune` deletes what is older than the cutoff, in both stores alike, and nothing else.
@Suite struct PruneContractTests {
    static let day = Timestamp.millisecondsPerDay

    /// Events over four months of 2024 (and one now), daily rows and interactions on both sides of 1 March.
    static func fill(_ store: any ArticleStore) throws {
        _ = try store.importRecords(dryRun: false) { writer in
            try seed(writer)
            let jan = Timestamp(milliseconds: 1_704_067_200_000)  // 2024-01-01
            for i in 0..<120 {
                try writer.addEvent(
                    EngagementEvent(
                        sourceID: "p\(i)", site: i % 2 == 0 ? "news" : "travel", article: i % 2 == 0 ? "n1" : "t1",
                        reader: "r\(i % 7)",
                        type: .view, time: Timestamp(milliseconds: jan.milliseconds + Int64(i) * day)), at: here)
            }
            try writer.addEvent(
                EngagementEvent(
                    sourceID: "far", site: "news", article: "n1", reader: nil, type: .view,
                    time: Timestamp.wallClock()), at: here)
            for d in [19_700, 19_780, 19_800] {  // 2023-12-09, 2024-02-27, 2024-03-18
                try writer.setDaily(
                    DailyEngagement(
                        site: "news", article: "n1", day: Int64(d), views: 5, votes: 0, score: 0, comments: 0),
                    at: here)
            }
        }
        var interactions: [WidgetInteraction] = []
        for (i, t) in [1_706_000_000_000, 1_710_000_000_000].enumerated() {  // 23 January, 9 March
            interactions.append(
                WidgetInteraction(
                    sourceID: "w\(i)", kind: .impression, placement: "p", host: "news", seed: nil, site: "news",
                    article: "n1", position: 1, reader: nil, time: Timestamp(milliseconds: Int64(t))))
        }
        _ = try store.record(interactions) { _ in here }
    }

    @Test(arguments: StoreKind.available)
    func pruneDeletesWhatIsOlderThanTheCutoffAndNothingElse(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        try Self.fill(store)
        var before: [EngagementEvent] = []
        try store.forEachEvent(from: nil, to: nil) { before.append($0) }
        let cutoff = Timestamp(milliseconds: 1_709_251_200_000)  // 2024-03-01
        let older = before.filter { $0.time < cutoff }.count
        // A dry run counts and keeps everything.
        let dry = try store.prune(before: cutoff, dryRun: true)
        // The seed's own daily row (day 3, 1970) and two of these are older.
        #expect(dry.events == older && dry.dailyRows == 3 && dry.interactions == 1)
        var afterDry = 0
        try store.forEachEvent(from: nil, to: nil) { _ in afterDry += 1 }
        #expect(afterDry == before.count)

        let summary = try store.prune(before: cutoff, dryRun: false)
        #expect(summary.events == older && summary.dailyRows == 3 && summary.interactions == 1)
        // January 1970 (the seed's events), January and February 2024 whole; March's older rows one by one.
        if kind == .postgres { #expect(summary.partitionsDropped == 3) }
        var after: [EngagementEvent] = []
        try store.forEachEvent(from: nil, to: nil) { after.append($0) }
        #expect(after.map(\.sourceID) == before.filter { $0.time >= cutoff }.map(\.sourceID))
        #expect(after.contains { $0.sourceID == "far" })
        #expect(try store.dailyEngagement(site: "news").map(\.day) == [19_800])
        #expect(try store.interactionSummary().map(\.impressions) == [1])
        #expect(try store.sites().count == 2 && store.articles(site: "news").count == 1)  // the catalogue stays
        // Pruned events imported again are stored again (they are new to the store).
        let again = try store.importRecords(dryRun: false) { writer in
            try writer.addEvent(before[0], at: here)
        }
        #expect(again.events.added == 1)
        // Nothing older is left: a second prune deletes nothing.
        let twice = try store.prune(before: cutoff, dryRun: false)
        #expect(twice.events == 1 && twice.dailyRows == 0 && twice.interactions == 0)
    }

    @Test func aPrunedSQLiteFileShrinks() throws {
        let dir = try TemporaryDirectory("prune")
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.importRecords(dryRun: false) { writer in
            try seed(writer)
            for i in 0..<20_000 {
                try writer.appendEvent(
                    EngagementEvent(
                        sourceID: "bulk-\(i)-" + String(repeating: "x", count: 40), site: "news", article: "n1",
                        reader: "r\(i % 500)", session: "s\(i)", type: .view, time: Timestamp(seconds: 1_000 + Int64(i))
                    ),
                    at: here)
            }
        }
        let summary = try store.prune(before: Timestamp(seconds: 100_000), dryRun: false)
        #expect(summary.events == 20_003)
        #expect(summary.bytesAfter < summary.bytesBefore / 2, "\(summary.bytesBefore) → \(summary.bytesAfter)")
    }
}
