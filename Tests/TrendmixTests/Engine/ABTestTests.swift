import Foundation
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Issue 22, item 5: readers split among variants by a stable hash, variants that need no other build, and
/// click-through with intervals and a test between variants.
@Suite struct ABTestTests {
    static func variant(_ name: String, share: Double?, freshness: Double = 0.9) -> ABVariant {
        var configuration = EngineConfiguration()
        configuration.model.mix.freshness = freshness
        return ABVariant(name: name, configuration: configuration, share: share)
    }

    @Test func readersAreSplitStablyByTheirShares() throws {
        let test = try ABTest([Self.variant("fresh", share: 0.2), Self.variant("wide", share: nil)])
        #expect(test.bounds == [0.2, 1])  // "wide" takes what "fresh" leaves; no control
        let split = try ABTest([Self.variant("a", share: 0.25), Self.variant("b", share: 0.25)])
        var counts: [String: Int] = [:]
        for i in 0..<20_000 { counts[split.name(of: split.assign(reader: "reader-\(i)")), default: 0] += 1 }
        // 25 %, 25 % and the control's 50 % of 20,000, within four standard deviations (about 245).
        #expect(abs((counts["a"] ?? 0) - 5_000) < 250 && abs((counts["b"] ?? 0) - 5_000) < 250, "\(counts)")
        #expect(abs((counts["control"] ?? 0) - 10_000) < 290, "\(counts)")
        // The same reader, the same arm, every time and in every process (a fixed hash, not Swift's seeded one).
        #expect(split.assign(reader: "alice") == split.assign(reader: "alice"))
        // Pinned: a change of the hash would move every reader to another arm in the middle of a test.
        #expect(ABTest.bucket("alice") == ABTest.bucket("alice") && (0..<1).contains(ABTest.bucket("alice")))
        // FNV-1a and fmix64 written in Python give the same figure.
        #expect(String(format: "%.12f", ABTest.bucket("alice")) == "0.027794047439")
    }

    @Test func badVariantsAreRefusedNamingWhatIsWrong() throws {
        let dir = try TemporaryDirectory("ab")
        let file = try dir.write("fresh.json", #"{"mix": {"freshness": 0.9}}"#)
        #expect(try ABVariant(parsing: "fresh=\(file):20%").share == 0.2)
        #expect(try ABVariant(parsing: "fresh=\(file)").share == nil)
        #expect(try ABVariant(parsing: "fresh=\(file)").configuration.model.mix.freshness == 0.9)
        for (spec, mention) in [
            ("fresh", "name=config.json"), ("Fresh=\(file)", "lowercase"), ("control=\(file)", "control"),
            ("fresh=\(file):1.5", "at most 1"), ("fresh=\(file):x", "not a number"),
            ("fresh=\(dir.file("missing.json"))", "cannot read"),
        ] {
            #expect(throws: ConfigurationError.self) { try ABVariant(parsing: spec) }
            do {
                _ = try ABVariant(parsing: spec)
            } catch {
                #expect("\(error)".contains(mention), "\(spec): \(error)")
            }
        }
        #expect(throws: ConfigurationError.self) {
            try ABTest([Self.variant("a", share: 0.6), Self.variant("b", share: 0.6)])
        }
        #expect(throws: ConfigurationError.self) {
            try ABTest([Self.variant("a", share: 0.1), Self.variant("a", share: 0.1)])
        }
    }

    @Test func aVariantMayChangeTheMixButNotWhatTheBuildComputed() throws {
        let built = EngineConfiguration()
        try ABTest([Self.variant("fresh", share: 0.5)]).checkServable(on: built)
        var other = EngineConfiguration()
        other.model.cooccurrence.neighbours = 10
        let test = try ABTest([ABVariant(name: "narrow", configuration: other, share: 0.5)])
        #expect(throws: ConfigurationError.self) { try test.checkServable(on: built) }
        do {
            try test.checkServable(on: built)
        } catch let error as ConfigurationError {
            #expect(error.key == "cooccurrence.neighbours" && error.file.contains("narrow"), "\(error)")
        }
    }

    @Test func aVariantServesTheSameModelWithItsOwnMix() async throws {
        let dir = try TemporaryDirectory("ab")
        for (name, text) in Fixtures.canonical { try dir.write("fixture/\(name)", text) }
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(CanonicalImporter(path: dir.file("fixture")))
        try await RecommendationEngine.build(store: store, configuration: EngineConfiguration(), now: Fixtures.now)
            .save(to: store)
        let engine = try await RecommendationEngine.load(from: store)
        var own = engine.configuration
        own.model.mix.includeHostSite = true
        let variant = engine.reconfigured(own)
        #expect(variant.stamp == engine.stamp && variant.model.articles.count == engine.model.articles.count)
        let usual = try engine.trending(host: "news", k: 8)
        let mixed = try variant.trending(host: "news", k: 8)
        #expect(!usual.prefix(2).contains { $0.site == "news" })
        #expect(mixed.contains { $0.site == "news" } && mixed != usual)
        // The same configuration again gives the engine's own answers.
        #expect(try engine.reconfigured(engine.configuration).trending(host: "news", k: 8) == usual)
    }

    @Test func clickThroughHasWilsonIntervalsAndAZTestBetweenVariants() throws {
        // Hand-computed: control 50 clicks of 1,000 impressions, "fresh" 80 of 1,000 on one placement.
        // Wilson 95 %: 50/1000 → [0.038130, 0.065314]; 80/1000 → [0.064748, 0.098466].
        // Pooled z-test: p = 130/2000 = 0.065, se = √(0.065 · 0.935 · 2/1000) = 0.011025, z = 0.03/se = 2.7211,
        // two-sided p = erfc(z/√2) = 0.006507.
        let counts = [
            InteractionCounts(group: ["control", "below-article"], impressions: 1_000, clicks: 50),
            InteractionCounts(group: ["fresh", "below-article"], impressions: 1_000, clicks: 80),
            InteractionCounts(group: [nil, "below-article"], impressions: 10, clicks: 1),
        ]
        let report = CTRReport(counts: counts, by: [.variant, .placement])
        let control = report.rows[0]
        let fresh = report.rows[1]
        #expect(control.rate == 0.05 && control.pValue == nil && control.versus == nil)
        #expect(
            abs((control.interval?.low ?? 0) - 0.038130) < 1e-6 && abs((control.interval?.high ?? 0) - 0.065314) < 1e-6)
        #expect(abs((fresh.interval?.low ?? 0) - 0.064748) < 1e-6 && abs((fresh.interval?.high ?? 0) - 0.098466) < 1e-6)
        #expect(fresh.versus == "control" && abs((fresh.difference ?? 0) - 0.03) < 1e-12)
        #expect(abs((fresh.pValue ?? 0) - 0.006507) < 1e-6 && fresh.significant == true)
        // The difference's 95 % interval (Wald): 0.03 ± 1.96 · √(0.05 · 0.95/1000 + 0.08 · 0.92/1000).
        #expect(abs((fresh.differenceInterval?.low ?? 0) - 0.008431) < 1e-6)
        #expect(abs((fresh.differenceInterval?.high ?? 0) - 0.051569) < 1e-6)
        // Impressions outside the test (no reader) are listed, not compared.
        #expect(report.rows[2].group[0] == nil && report.rows[2].pValue == nil)
        #expect(report.json.contains(#""p_value":0.006507"#) && report.json.contains(#""versus":"control""#))
        #expect(report.text.contains("p < 0.05") && report.text.contains("0.0065 *"))
        // More clicks than impressions (clicks recorded where impressions were not): no interval, no test.
        let odd = CTRReport(
            counts: [
                InteractionCounts(group: ["control"], impressions: 2, clicks: 3),
                InteractionCounts(group: ["fresh"], impressions: 5, clicks: 1),
            ], by: [.variant])
        #expect(odd.rows[0].interval == nil && odd.rows[1].pValue == nil)
    }

    @Test func bothStoresCountInteractionsByEveryDimension() async throws {
        let dir = try TemporaryDirectory("ab")
        for (name, text) in Fixtures.canonical { try dir.write("fixture/\(name)", text) }
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(CanonicalImporter(path: dir.file("fixture")))
        var interactions: [WidgetInteraction] = []
        for i in 0..<12 {
            interactions.append(
                WidgetInteraction(
                    sourceID: "v\(i)", kind: i % 4 == 0 ? .click : .impression, placement: i < 6 ? "sidebar" : "below",
                    host: "news", seed: nil, site: "travel", article: "t1", position: i % 2 + 1, reader: "r\(i)",
                    variant: i % 3 == 0 ? nil : (i % 3 == 1 ? "control" : "fresh"), time: Fixtures.now))
        }
        _ = try store.record(interactions) { SourceLocation(file: "test", element: "\($0)") }
        let byVariant = try store.interactionCounts(by: [.variant])
        // Clicks are i = 0, 4, 8 (variants nil, control, fresh); impressions the rest.
        #expect(
            byVariant == [
                InteractionCounts(group: [nil], impressions: 3, clicks: 1),
                InteractionCounts(group: ["control"], impressions: 3, clicks: 1),
                InteractionCounts(group: ["fresh"], impressions: 3, clicks: 1),
            ])
        let byAll = try store.interactionCounts(by: [.site, .placement, .position])
        #expect(
            byAll.map(\.group) == [
                ["news", "below", "1"], ["news", "below", "2"], ["news", "sidebar", "1"], ["news", "sidebar", "2"],
            ])
        #expect(try store.interactionCounts(by: []) == [InteractionCounts(group: [], impressions: 9, clicks: 3)])
        if PostgresDatabase.server != nil || PostgresDatabase.required {
            let database = try PostgresDatabase()
            let pg = try PostgresStore(url: database.url)
            _ = try pg.run(CanonicalImporter(path: dir.file("fixture")))
            _ = try pg.record(interactions) { SourceLocation(file: "test", element: "\($0)") }
            #expect(try pg.interactionCounts(by: [.variant]) == byVariant)
            #expect(try pg.interactionCounts(by: [.site, .placement, .position]) == byAll)
        }
    }
}

/// Issue 22, item 6: an export carries impressions and clicks, and imports back into either store.
@Suite struct InteractionExportTests {
    @Test(arguments: [false, true])
    func impressionsAndClicksExportAndImportBack(_ postgres: Bool) async throws {
        if postgres, PostgresDatabase.server == nil, !PostgresDatabase.required {
            print("skipped: no PostgreSQL test server (TRENDMIX_TEST_POSTGRES)")
            return
        }
        let dir = try TemporaryDirectory("export")
        for (name, text) in Fixtures.canonical { try dir.write("fixture/\(name)", text) }
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.run(CanonicalImporter(path: dir.file("fixture")))
        let interactions = [
            WidgetInteraction(
                sourceID: "v1:1", kind: .impression, placement: "below-article", host: "news", seed: "n1",
                site: "travel", article: "t1", position: 1, reader: "アリス", variant: "fresh", time: Fixtures.now),
            WidgetInteraction(
                sourceID: "v1:1:click", kind: .click, placement: "below-article", host: "news", seed: "n1",
                site: "travel", article: "t1", position: 1, reader: "アリス", variant: "fresh", time: Fixtures.now),
            WidgetInteraction(
                sourceID: "s9", kind: .impression, placement: "side, \"top\"", host: "blog", seed: nil, site: "news",
                article: "n2", position: 3, reader: nil, variant: nil, time: Fixtures.now),
        ]
        _ = try store.record(interactions) { SourceLocation(file: "test", element: "\($0)") }
        let out = dir.file("out")
        let written = try CanonicalExporter(store: store).write(to: out)
        #expect(written.interactions == 3)
        let database = postgres ? try PostgresDatabase() : nil
        let copy: any ArticleStore =
            try database.map { try PostgresStore(url: $0.url) } ?? SQLiteArticleStore(path: dir.file("copy.sqlite"))
        let summary = try copy.run(CanonicalImporter(path: out))
        #expect(summary.interactions.added == 3)
        var original: [WidgetInteraction] = []
        try store.forEachInteraction { original.append($0) }
        var imported: [WidgetInteraction] = []
        try copy.forEachInteraction { imported.append($0) }
        #expect(imported == original && imported.count == 3)
        // The click's engagement event came with events.csv, once.
        var clicks = 0
        try copy.forEachEvent(from: nil, to: nil) { if $0.sourceID == "click:v1:1:click" { clicks += 1 } }
        #expect(clicks == 1)
        // An export of some sites holds only impressions whose host and item are both among them, and imports
        // into an empty store (an item of a site left out would have nothing to point at).
        let part = dir.file("part")
        #expect(try CanonicalExporter(store: store, sites: ["news", "travel"]).write(to: part).interactions == 2)
        let fresh = try SQLiteArticleStore(path: dir.file("fresh-\(postgres).sqlite"))
        #expect(try fresh.run(CanonicalImporter(path: part)).interactions.added == 2)
        // Again: nothing new. A file that repeats an id is refused naming its line.
        #expect(try copy.run(CanonicalImporter(path: out)).interactions.unchanged == 3)
        let text = try String(contentsOfFile: out + "/impressions.csv", encoding: .utf8)
        try dir.write("twice/impressions.csv", text + text.split(separator: "\n").dropFirst().first.map { $0 + "\n" }!)
        do {
            _ = try copy.run(CanonicalImporter(path: dir.file("twice")))
            Issue.record("a repeated impression id was accepted")
        } catch {
            #expect("\(error)".contains("impressions.csv:5") && "\(error)".contains("appears twice"), "\(error)")
        }
    }
}
