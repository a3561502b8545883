import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Every `ModelStore` conformer must pass this suite (the conformers are `StoreKind`'s cases): a snapshot holds
/// exactly the window asked for, and a saved model loads back value for value, replaces the one before, and
/// follows the catalogue as it changes after the build.
@Suite struct ModelStoreContractTests {
    static let now = Timestamp(seconds: 400)

    /// The seed records with one more event, so that a session holds both articles (the session index then has
    /// rows to store).
    static func seedWithSession(_ writer: any ImportWriter) throws {
        try seed(writer)
        try writer.addEvent(
            EngagementEvent(
                sourceID: "e4", site: "travel", article: "t1", reader: "r1", session: "s", type: .view,
                time: Timestamp(seconds: 250)), at: here)
    }

    /// The seed records and a model learned from them, saved.
    static func storeWithModel(
        _ kind: StoreKind
    ) async throws -> (any ArticleStore & ModelStore, AnyObject, StoredModel) {
        let (store, dir) = try kind.make()
        _ = try store.importRecords(dryRun: false, seedWithSession)
        let model = try await learn(store, stampedAt: now)
        try await store.saveModel(model)
        return (store, dir, model)
    }

    static func learn(_ store: any ModelStore, stampedAt time: Timestamp) async throws -> StoredModel {
        let snapshot = try await store.snapshot(from: nil, to: nil)
        var configuration = ModelConfiguration()
        configuration.cooccurrence.measure = .count
        // A calibration with every kind of field: an own choice with figures, a pooled one without.
        var chosen = SiteTuning(configuration: configuration, site: snapshot.sites[0])
        chosen.trendingMeasure = .velocity
        chosen.hotCounts = .age
        chosen.readerDiversity = false
        let calibration = Calibration(
            sites: [
                SiteCalibration(
                    site: snapshot.sites[0].slug, tuning: chosen, trendingSource: .own, readerSource: .pooled,
                    trending: Backtest(metric: "nDCG@10 graded", cases: 8, chosen: 0.625, configured: 0.5),
                    reader: nil),
                SiteCalibration(
                    site: snapshot.sites[1].slug,
                    tuning: SiteTuning(configuration: configuration, site: snapshot.sites[1]),
                    trendingSource: .configured, readerSource: .configured, trending: nil, reader: nil),
            ], horizonDays: 7, trendingOrigins: 8, readerOrigins: 3)
        let learned = LearnedModel(
            snapshot: snapshot, configuration: configuration, now: time, calibration: calibration)
        let stamp = ModelStamp(
            builtFor: time, computedAt: Timestamp(seconds: 500), configuration: "{\"k\":\(time.milliseconds)}",
            configurationHash: "h\(time.milliseconds)", windowStart: nil, windowEnd: time)
        return StoredModel(stamp: stamp, catalogue: snapshot.catalogue, learned: learned)
    }

    @Test(arguments: StoreKind.available)
    func aSnapshotHoldsTheWindowAskedFor(_ kind: StoreKind) async throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        let all = try await store.snapshot(from: nil, to: nil)
        #expect(all.sites.map(\.slug) == ["news", "travel"])
        #expect(all.articles.externalID == ["n1", "t1"] && all.articleKeys.count == 2)
        #expect(all.tags.sorted() == ["japan", "living"])
        #expect(all.readers == ["r1"] && all.readerKeys.count == 1)
        #expect(all.events.time == [200_000, 150_000, 300_000])  // in the order they were stored
        #expect(all.events.value == [1, 1, 4.5] && all.events.reader == [0, 0, -1])
        #expect(all.daily.views == [10])
        let window = try await store.snapshot(from: Timestamp(seconds: 150), to: Timestamp(seconds: 300))
        #expect(window.events.time == [200_000, 150_000])
        #expect(window.articles.count == 2)  // the catalogue is whole whatever the window
        #expect(try await store.eventCount(after: Timestamp(seconds: 200)) == 1)
        #expect(try await store.eventCount(after: Timestamp(seconds: 300)) == 0)
    }

    @Test(arguments: StoreKind.available)
    func aSavedModelLoadsBackValueForValue(_ kind: StoreKind) async throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        #expect(try await store.modelStamp() == nil)
        #expect(try await store.loadModel() == nil)
        _ = try store.importRecords(dryRun: false, Self.seedWithSession)
        let model = try await Self.learn(store, stampedAt: Self.now)
        // Not a vacuous round trip: every kind of row is there.
        #expect(model.learned.neighbours.neighbours.count > 0 && model.learned.sessionNeighbours.neighbours.count > 0)
        #expect(model.learned.affinity.articles.count > 0 && model.learned.trending.score.contains { $0 > 0 })
        #expect(model.learned.calibration != nil)
        #expect(try store.statistics().calibration == nil)
        try await store.saveModel(model)
        #expect(try await store.modelStamp() == model.stamp)
        #expect(try store.statistics().calibration == model.learned.calibration)
        let loaded = try #require(try await store.loadModel())
        #expect(loaded.stamp == model.stamp)
        #expect(loaded.catalogue.sites == model.catalogue.sites && loaded.catalogue.tags == model.catalogue.tags)
        #expect(loaded.catalogue.articles == model.catalogue.articles)
        #expect(loaded.catalogue.articleKeys == model.catalogue.articleKeys)
        // Whole: a learned array a store does not keep fails here (every reader of the seed has affinities).
        #expect(loaded.learned == model.learned)
    }

    @Test(arguments: StoreKind.available)
    func savingReplacesTheModelBefore(_ kind: StoreKind) async throws {
        let (store, dir, _) = try await Self.storeWithModel(kind)
        defer { withExtendedLifetime(dir) {} }
        // Fewer rows the second time: nothing of the first model may be left over.
        _ = try store.importRecords(dryRun: false) { w in
            try w.addEvent(
                EngagementEvent(
                    sourceID: "e4", site: "news", article: "n1", reader: "r2", type: .view,
                    time: Timestamp(seconds: 350)), at: here)
        }
        var second = try await Self.learn(store, stampedAt: Timestamp(seconds: 450))
        let empty = NeighbourIndex.empty(articleCount: second.catalogue.articles.count)
        second.learned.neighbours = empty
        second.learned.sessionNeighbours = empty
        second.learned.affinity = ReaderAffinity(offsets: [0], articles: [], weights: [])
        second.learned.readers = []
        second.learned.readerKeys = []
        try await store.saveModel(second)
        let loaded = try #require(try await store.loadModel())
        #expect(loaded.stamp == second.stamp)
        #expect(loaded.learned == second.learned)
    }

    @Test(arguments: StoreKind.available)
    func aLoadedModelFollowsTheCatalogue(_ kind: StoreKind) async throws {
        let (store, dir, model) = try await Self.storeWithModel(kind)
        defer { withExtendedLifetime(dir) {} }
        // An article published after the build: in the catalogue, with nothing learned yet.
        _ = try store.importRecords(dryRun: false) { w in
            try w.upsertArticle(Article(site: "news", externalID: "n2", title: "Two", tags: ["tokyo"]), at: here)
        }
        let loaded = try #require(try await store.loadModel())
        #expect(loaded.catalogue.articles.externalID == ["n1", "t1", "n2"])
        #expect(loaded.catalogue.tags.contains("tokyo"))
        #expect(loaded.learned.neighbours.row(2).isEmpty && loaded.learned.trending.score[2] == 0)
        #expect(loaded.learned.trending.score[0...1] == model.learned.trending.score[0...1])
        #expect(loaded.learned.neighbours.row(0).count == model.learned.neighbours.row(0).count)
        // A deleted site's articles leave the catalogue and every row that pointed to them.
        try store.deleteSite("travel")
        let after = try #require(try await store.loadModel())
        #expect(after.catalogue.articles.externalID == ["n1", "n2"])
        #expect(after.learned.neighbours.neighbours.isEmpty)  // n1's only neighbour was t1
        #expect(after.learned.trending.score.count == 2)
    }
}
