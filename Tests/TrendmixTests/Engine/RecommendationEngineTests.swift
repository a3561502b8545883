import Foundation
import GRDB
import Testing
import Trendmix
import TrendmixCore
import TrendmixLinearAlgebra
import TrendmixTestSupport

@testable import TrendmixStore

@Suite struct RecommendationEngineTests {
    static func demoStore() throws -> (SQLiteArticleStore, TemporaryDirectory) {
        let dir = try TemporaryDirectory("engine")
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(CanonicalImporter(path: Locations.demoData))
        return (store, dir)
    }

    @Test func aStoredModelAnswersExactlyLikeTheBuiltOne() async throws {
        let (store, dir) = try Self.demoStore()
        _ = dir
        let built = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        try await built.save(to: store)
        let loaded = try await RecommendationEngine.load(from: store)
        #expect(loaded.stamp == built.stamp)
        #expect(loaded.model.neighbours == built.model.neighbours)
        #expect(loaded.model.trending == built.model.trending)
        #expect(loaded.model.hotness == built.model.hotness)
        for site in ["beer", "italian", "quantumcomputing"] {
            #expect(try loaded.trending(host: site) == built.trending(host: site))
        }
        for article in ["1", "2", "1009"] {
            #expect(try loaded.related(site: "beer", article: article) == built.related(site: "beer", article: article))
        }
        let reader = built.model.readers[7]
        #expect(try loaded.trending(host: "beer", reader: reader) == built.trending(host: "beer", reader: reader))
    }

    @Test func aStoredEventFromTheFutureNeitherDecidesNowNorZeroesTrending() async throws {
        // Issue 18, item 9: a database written before events from the future were refused holds one dated 2199.
        let (store, dir) = try Self.demoStore()
        _ = dir
        let before = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        try await store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO event(site_id, article_id, reader_id, session, type, occurred_at, value, source_id)
                    SELECT site_id, id, NULL, NULL, 1, 7226582400000, 1, 'from-2199' FROM article LIMIT 1
                    """)
        }
        let after = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        #expect(after.stamp.builtFor == before.stamp.builtFor)
        #expect(after.warnings.count == 1 && after.warnings[0].contains("left out 1 event"))
        #expect(try after.trending(host: "beer") == before.trending(host: "beer"))
        #expect(before.warnings.isEmpty)
    }

    @Test func aStoredModelLoadsAgainstACatalogueThatGrewAfterTheBuild() async throws {
        // An article imported after the build has no neighbours or trending yet; every other row loads whole.
        let (store, dir) = try Self.demoStore()
        let built = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        try await built.save(to: store)
        let file = try dir.write(
            "articles.csv",
            "site,id,url,title,published_at,tags\n"
                + "beer,9999001,https://beer.stackexchange.com/questions/9999001,Later,2021-01-01T00:00:00Z,hops\n")
        _ = try store.run(CanonicalImporter(path: file))
        let loaded = try await RecommendationEngine.load(from: store)
        let old = built.model.articles.count
        #expect(loaded.model.articles.count == old + 1)
        #expect(loaded.model.neighbours.row(old).isEmpty)
        #expect(loaded.model.trending.score[old] == 0)
        for a in stride(from: 0, to: old, by: 7) {
            #expect(loaded.model.neighbours.row(a) == built.model.neighbours.row(a))
            let (l, b) = (loaded.model.neighbours, built.model.neighbours)
            #expect(l.row(a).map { l.neighbours[$0] } == b.row(a).map { b.neighbours[$0] })
            #expect(l.row(a).map { l.similarity[$0] } == b.row(a).map { b.similarity[$0] })
            #expect(loaded.model.trending.score[a] == built.model.trending.score[a])
        }
        #expect(loaded.model.affinity == built.model.affinity)
        #expect(loaded.model.readers == built.model.readers)
        #expect(try loaded.related(site: "beer", article: "9999001").count == 8)
    }

    @Test func aModelStoredBeforeReachLoadsWithItsTotals() async throws {
        // A model saved before migration v5 has no reach: hotness reads the all-time engagement, as it did.
        let (store, dir) = try Self.demoStore()
        _ = dir
        let built = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        #expect(built.model.trending.reach != built.model.trending.total)
        try await built.save(to: store)
        try await store.writer.write { db in try db.execute(sql: "UPDATE model_article SET reach = NULL") }
        let loaded = try await RecommendationEngine.load(from: store)
        #expect(loaded.model.trending.reach == built.model.trending.total)
        #expect(loaded.model.trending.total == built.model.trending.total)
    }

    @Test func aStoredSessionIndexLoadsBackWhole() async throws {
        // DeskDrop's format carries sessions: readers 1-3 read c1 then c2 in one visit, and c3 on another day.
        let dir = try TemporaryDirectory("engine-sessions")
        var lines = ["timestamp,eventType,contentId,personId,sessionId,userAgent,userRegion,userCountry"]
        for r in 1...3 {
            lines.append("\(1_465_000_000 + r),VIEW,1,\(r),\(10 + r),,,")
            lines.append("\(1_465_000_060 + r),VIEW,2,\(r),\(10 + r),,,")
            lines.append("\(1_465_090_000 + r),VIEW,3,\(r),\(20 + r),,,")
        }
        let csv = try dir.write("interactions.csv", lines.joined(separator: "\n") + "\n")
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(DeskDropImporter(path: csv))
        var configuration = EngineConfiguration()
        configuration.model.mix.includeHostSite = true  // DeskDrop is one site
        let built = try await RecommendationEngine.build(store: store, configuration: configuration)
        #expect(!built.model.sessionNeighbours.neighbours.isEmpty)
        try await built.save(to: store)
        let loaded = try await RecommendationEngine.load(from: store)
        #expect(loaded.model.sessionNeighbours == built.model.sessionNeighbours)
        #expect(loaded.model.neighbours == built.model.neighbours)
        let site = built.model.sites[0].slug
        let related = try built.related(site: site, article: "1")
        #expect(try loaded.related(site: site, article: "1") == related)
        #expect(related.first?.article == "2" && related.first?.explanation.contains("same visit") == true)
    }

    @Test func theMixComesFromOtherSitesAndSeveralOfThem() async throws {
        let (store, dir) = try Self.demoStore()
        _ = dir
        let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        for host in ["beer", "italian", "quantumcomputing"] {
            let box = try engine.trending(host: host, k: 8)
            #expect(box.count == 8)
            #expect(!box.contains { $0.site == host })
            #expect(Set(box.map(\.site)).count >= 3)
        }
    }

    @Test func looksArticlesUpByURLAndRefusesUnknownOnes() async throws {
        let (store, dir) = try Self.demoStore()
        _ = dir
        let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        let byURL = try engine.related(article: "https://beer.stackexchange.com/questions/1")
        #expect(byURL == (try engine.related(site: "beer", article: "1")))
        #expect(throws: EngineError.unknownArticle("999999", site: "beer")) {
            try engine.related(site: "beer", article: "999999")
        }
        #expect(throws: EngineError.unknownSite("nope")) { try engine.trending(host: "nope") }
        #expect(throws: EngineError.self) { try engine.related(article: "1") }  // id 1 exists on several sites
    }

    /// A visit's references: a bare id several sites use names the seed's site's article (else it is skipped),
    /// `site:id` and URLs name theirs, unknown ones are skipped, and only the last 20 are read.
    @Test func aVisitsReferencesResolveOnTheSeedsSite() async throws {
        let (store, dir) = try Self.demoStore()
        _ = dir
        let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        let beer = try engine.site("beer")
        let one = try engine.article("1", site: "beer")
        let italianOne = try engine.article("1", site: "italian")
        #expect(engine.visited(["1"], site: beer) == [one])
        #expect(engine.visited(["1"]).isEmpty, "ambiguous without a site")
        #expect(
            engine.visited(["italian:1", "nope", "https://beer.stackexchange.com/questions/1"]) == [italianOne, one])
        #expect(engine.visited(Array(repeating: "nope", count: 5000) + ["beer:1"]) == [one])
        #expect(engine.visited(["beer:1"] + Array(repeating: "nope", count: 20)).isEmpty)
    }

    /// With `cooccurrence.ease` the build's reader rows are EASE's (learned through TrendmixLinearAlgebra, not
    /// counted), they are stored and loaded whole, and the engine answers from them.
    @Test func aBuildWithEASEServesAndStoresItsWeights() async throws {
        let (store, dir) = try Self.demoStore()
        var configuration = EngineConfiguration()
        configuration.model.cooccurrence.ease = EASEConfiguration(lambda: 50)
        configuration.model.cooccurrence.neighbours = 20
        let now = try #require(TimestampParser.parse("2026-11-20T00:00:00Z"))
        let engine = try await RecommendationEngine.build(store: store, configuration: configuration, now: now)
        let counted = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration(), now: now)
        let snapshot = try store.snapshot(from: nil, to: now + .milliseconds(1))
        let expected = EASE(snapshot: snapshot, configuration: configuration.model.cooccurrence).neighbourIndex(
            limit: 20)
        #expect(engine.model.neighbours == expected)
        #expect(engine.model.neighbours != counted.model.neighbours)
        #expect(engine.model.neighbours.similarity.allSatisfy { $0 > 0 })
        try await engine.save(to: store)
        let loaded = try await RecommendationEngine.load(from: SQLiteArticleStore(path: dir.file("t.sqlite")))
        #expect(loaded.model.neighbours == engine.model.neighbours)
        #expect(loaded.model.configuration.cooccurrence.ease == EASEConfiguration(lambda: 50))
        #expect(try !engine.related(site: "beer", article: "1").isEmpty)
    }

    @Test func loadingWithoutABuildIsAClearError() async throws {
        let (store, dir) = try Self.demoStore()
        _ = dir
        await #expect(throws: EngineError.noModel) { try await RecommendationEngine.load(from: store) }
    }

    @Test func theSameInputAndNowGiveIdenticalOutput() async throws {
        let (store, dir) = try Self.demoStore()
        _ = dir
        let now = try #require(TimestampParser.parse("2026-11-20T00:00:00Z"))
        let a = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration(), now: now)
        let b = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration(), now: now)
        #expect(a.model.neighbours == b.model.neighbours)
        #expect(try a.trending(host: "beer") == b.trending(host: "beer"))
        #expect(a.stamp.configurationHash == b.stamp.configurationHash)
    }
}

@Suite struct EngineConfigurationTests {
    @Test func aFileOverridesOnlyWhatItNames() throws {
        let dir = try TemporaryDirectory("config")
        let file = try dir.write(
            "c.json",
            """
            {"cooccurrence": {"measure": "jaccard", "neighbours": null, "unit": "visit", "visit_gap_minutes": 45,
                              "weights": {"view": 0.5}},
             "recency": {"by_kind": {"news": 0.5}},
             "trending": {"measure": "hackerNewsGravity"},
             "mix": {"k": 5, "max_age_days": 30, "hot_gravity": null, "personal_hotness": 0.5,
                      "hot_counts": "engagement", "visit_decay": 0},
             "window_days": 90}
            """)
        let c = try EngineConfiguration(file: file)
        #expect(c.model.cooccurrence.measure == .jaccard)
        #expect(c.model.cooccurrence.neighbours == nil)
        #expect(c.model.cooccurrence.unit == .readerGap(.seconds(2700)))
        #expect(c.model.cooccurrence.weights[.view] == 0.5)
        #expect(c.model.cooccurrence.weights[.comment] == EventWeights.default[.comment])
        #expect(c.model.recency.byKind["news"] == .days(0.5))
        #expect(c.model.recency.byKind["travel"] == .days(30))
        #expect(c.model.trending.measure == .hackerNewsGravity)
        #expect(c.model.mix.k == 5 && c.model.mix.maxAge == .days(30) && c.model.mix.hotGravity == nil)
        #expect(c.model.mix.personalHotness == 0.5 && c.model.mix.hotCounts == .engagement)
        #expect(c.model.mix.visitDecay == 0)
        #expect(c.windowDays == 90)
        #expect(c.hash != EngineConfiguration().hash)
    }

    @Test(arguments: [
        (#"{"mix": {"kk": 3}}"#, "mix.kk"), (#"{"cooccurrence": {"measure": "pearson"}}"#, "cooccurrence.measure"),
        (#"{"mix": {"k": -1}}"#, "mix.k"), (#"{"weights": {"glance": 1}}"#, "weights.glance"),
        (#"{"trending": {"baseline_factor": 0.5}}"#, "trending.baseline_factor"), (#"[1, 2]"#, ""),
        (#"{"recency": {"default_half_life_days": "a week"}}"#, "recency.default_half_life_days"),
        (#"{"mix": {"session_weight": 1.5}}"#, "mix.session_weight"),
        (#"{"mix": {"visit_decay": -1}}"#, "mix.visit_decay"), (#"{"mix": {"visit_decay": 101}}"#, "mix.visit_decay"),
        (#"{"mix": {"hot_gravity": -1}}"#, "mix.hot_gravity"),
        (#"{"mix": {"personal_hotness": 5}}"#, "mix.personal_hotness"),
        (#"{"mix": {"hot_counts": "votes"}}"#, "mix.hot_counts"),
        (#"{"trending": {"measure": "fastest"}}"#, "trending.measure"),
        (#"{"calibration": {"pinned": ["mix.k"]}}"#, "calibration.pinned[0]"),
        (#"{"calibration": {"pinned": "all"}}"#, "calibration.pinned"),
        (#"{"calibration": {"enabled": "yes"}}"#, "calibration.enabled"),
        (#"{"calibration": {"horizon_days": 0}}"#, "calibration.horizon_days"),
        (#"{"calibration": {"reader_origins": 1.5}}"#, "calibration.reader_origins"),
        (#"{"calibration": {"surprise": 1}}"#, "calibration.surprise"),
        (#"{"cooccurrence": {"ease": {"lambda": 0.5}}}"#, "cooccurrence.ease.lambda"),
        (#"{"cooccurrence": {"ease": {"max_articles": 40000}}}"#, "cooccurrence.ease.max_articles"),
        (#"{"cooccurrence": {"ease": {"alpha": 1}}}"#, "cooccurrence.ease.alpha"),
        (#"{"cooccurrence": {"ease": 250}}"#, "cooccurrence.ease"),
        (
            #"{"cooccurrence": {"ease": {}, "cross_occurrence": {"indicator": ["view"], "target": ["like"]}}}"#,
            "cooccurrence.ease"
        ),
    ])
    func refusesBadFilesNamingTheKey(_ text: String, _ key: String) throws {
        let dir = try TemporaryDirectory("config")
        let file = try dir.write("c.json", text)
        let error = try #require(throws: ConfigurationError.self) { try EngineConfiguration(file: file) }
        #expect(error.key ?? "" == key)
        #expect("\(error)".contains("c.json"))
    }

    /// EASE in place of co-occurrence: read from a file, written back by `json` (so stored and hashed), off
    /// by default; the accuracy configuration that ships turns it on.
    @Test func easeIsReadWrittenAndHashed() throws {
        let dir = try TemporaryDirectory("config")
        let c = try EngineConfiguration(
            file: try dir.write("c.json", #"{"cooccurrence": {"ease": {"lambda": 400, "max_articles": 5000}}}"#))
        #expect(c.model.cooccurrence.ease == EASEConfiguration(lambda: 400, maxArticles: 5000))
        #expect(try EngineConfiguration(json: c.json).model.cooccurrence.ease == c.model.cooccurrence.ease)
        #expect(c.hash != EngineConfiguration().hash)
        #expect(EngineConfiguration().model.cooccurrence.ease == nil)
        let defaults = try EngineConfiguration(file: try dir.write("d.json", #"{"cooccurrence": {"ease": {}}}"#))
        #expect(defaults.model.cooccurrence.ease == EASEConfiguration())
        let off = try EngineConfiguration(file: try dir.write("e.json", #"{"cooccurrence": {"ease": null}}"#))
        #expect(off.model.cooccurrence.ease == nil)
        let shipped = try EngineConfiguration(file: Locations.packageRoot + "/Evaluation/configs/accuracy.json")
        #expect(shipped.model.cooccurrence.ease?.lambda == 250)
    }

    @Test func aKnobSetInAFileIsPinnedAndTheCalibrationSectionIsRead() throws {
        let dir = try TemporaryDirectory("config")
        let file = try dir.write(
            "c.json",
            """
            {"trending": {"measure": "velocity"}, "mix": {"freshness_by_kind": {"qa": 0.9}},
             "calibration": {"enabled": true, "reader_origins": 4, "pinned": ["mix.tag_diversity"]}}
            """)
        let c = try EngineConfiguration(file: file)
        #expect(c.model.trending.measure == .velocity && c.model.mix.freshnessByKind["qa"] == 0.9)
        #expect(c.model.calibration.enabled && c.model.calibration.readerOrigins == 4)
        #expect(c.model.calibration.pinned == [.trendingMeasure, .freshness, .tagDiversity])
        // The stored configuration (read leniently) keeps exactly that list, not every knob it spells out.
        let stored = try EngineConfiguration(json: c.json)
        #expect(stored.model.calibration == c.model.calibration)
        #expect(try EngineConfiguration(json: EngineConfiguration().json).model.calibration.pinned.isEmpty)
    }

    @Test func theStoredJSONReadsBackToTheSameConfiguration() throws {
        var c = EngineConfiguration()
        c.model.calibration.enabled = true
        c.model.calibration.horizon = .days(3.5)
        c.model.calibration.pinned = [.hotCounts, .personalHotness]
        c.windowDays = 30
        c.model.cooccurrence.unit = .readerGap(.seconds(1800))
        c.model.cooccurrence.neighbours = nil
        c.model.mix.maxAge = .days(60)
        c.model.recency.bySite["beer"] = .days(3)
        let again = try EngineConfiguration(json: c.json)
        #expect(again.json == c.json)
        #expect(again.hash == c.hash)
        #expect(again == c)
    }

    @Test func theHashIsStable() {
        #expect(EngineConfiguration().hash == EngineConfiguration().hash)
        #expect(EngineConfiguration().json.contains("\"measure\" : \"logLikelihood\""))
    }
}
