import Testing
import TrendmixCore

@testable import TrendmixEvaluation

@Suite struct CalibratorTests {
    static let day: Int64 = 86_400_000

    /// Q&A-like sites where only the newest matters: question d is asked on day d (a post by its own author at
    /// 00:00), and half of the 20 readers (those with r + d even) answer it on day d + 1 at noon, never again. Each
    /// reader leaves half of the questions unread, and those co-occur with what they read through the others.
    static func newestOnly(sites: Int = 1, days: Int = 70) -> Snapshot {
        var a = Snapshot.Articles()
        var e = Snapshot.Events()
        let readers = 20
        for s in 0..<sites {
            for d in 0..<days {
                let article = Int32(a.count)
                a.append(site: Int32(s), externalID: "q\(s)-\(d)", publishedAt: Int64(d) * day, tags: [Int32(d % 3)])
                e.append(article: article, reader: Int32(readers) + article, type: .post, time: Int64(d) * day)
                for r in 0..<readers where (r + d) % 2 == 0 {
                    e.append(article: article, reader: Int32(r), type: .answer, time: Int64(d + 1) * day + day / 2)
                }
            }
        }
        return Snapshot(
            sites: (0..<sites).map {
                Site(slug: "qa\($0)", name: "QA \($0)", kind: "qa", baseURL: "https://q\($0).example")
            },
            articles: a, tags: ["t0", "t1", "t2"], readers: (0..<(readers + a.count)).map { "r\($0)" }, events: e)
    }

    @Test func aSiteWhoseReadersReadOnlyTheNewestIsCalibratedToTheNewest() throws {
        // Configured without freshness, the reader box ranks by co-occurrence alone, which is all ties here (every
        // reader read every question): the oldest unread first. The backtest must find freshness.
        var c = ModelConfiguration()
        c.mix.freshness = 0
        c.mix.freshnessByKind = [:]
        let now = Timestamp(milliseconds: 69 * Self.day + Self.day * 3 / 4)
        let snapshot = Self.newestOnly().filteringEvents(before: now)
        let calibration = Calibrator(configuration: c).calibrate(snapshot, now: now)
        let site = try #require(calibration.sites.first)
        #expect(calibration.sites.count == 1 && site.site == "qa0")
        #expect(site.trendingSource == .own && site.readerSource == .own)
        #expect(site.tuning.trendingMeasure == .newest)
        #expect(site.tuning.freshness > 0 && site.tuning.hotCounts == .age)
        let trending = try #require(site.trending)
        let reader = try #require(site.reader)
        #expect(trending.cases == 8 && trending.chosen > trending.configured)
        #expect(reader.cases >= 20 && reader.chosen == 1 && reader.chosen > reader.configured)
        // A build with calibration on stores the same choice, and its reader box puts yesterday's question first.
        c.calibration.enabled = true
        let learned = Calibrator.learn(snapshot: snapshot, configuration: c, now: now)
        #expect(learned.calibration == calibration)
        let model = RecommendationModel(
            catalogue: snapshot.catalogue, learned: learned, builtAt: now, configuration: c)
        #expect(model.recommend(RecommendationRequest(reader: 0, k: 3, now: now)).first?.article == 69)
    }

    /// Several sites: the reader backtest judges the reader's box over every site (the box that is served), one
    /// case per reader, and one reader setting is chosen for all sites from all the cases.
    @Test func severalSitesShareOneReaderSettingJudgedOnCrossSiteBoxes() throws {
        var c = ModelConfiguration()
        c.mix.freshness = 0
        c.mix.freshnessByKind = [:]
        let now = Timestamp(milliseconds: 69 * Self.day + Self.day * 3 / 4)
        let snapshot = Self.newestOnly(sites: 2).filteringEvents(before: now)
        let t = Timestamp(milliseconds: now.milliseconds - 7 * Self.day)
        let backtest = ReaderBacktest(
            snapshot, configuration: c, at: t, horizon: 7 * Self.day,
            live: EvaluationProtocol.FirstEngagement(snapshot).live(snapshot, at: t), seed: 1)
        #expect(!backtest.cases.isEmpty && backtest.cases.allSatisfy(\.crossSite))
        #expect(Set(backtest.cases.map(\.reader)).count == backtest.cases.count)
        // Each case holds the reader's new reads on both sites.
        #expect(
            backtest.cases.contains { c in Set(c.relevance.keys.map { snapshot.articles.site[Int($0)] }).count == 2 })
        let calibration = Calibrator(configuration: c).calibrate(snapshot, now: now)
        let settings = calibration.sites.map {
            [$0.tuning.freshness, $0.tuning.personalHotness, $0.tuning.hotCounts == .age ? 1 : 0]
        }
        #expect(calibration.sites.count == 2 && settings[0] == settings[1])
        #expect(calibration.sites.allSatisfy { $0.readerSource == .pooled && $0.tuning.freshness > 0 })
    }

    /// Fewer reader cases than the minimum, every site's together: their best is noise, and the reader box is
    /// newest first, the knobs not pinned; the backtest's figures are still reported.
    @Test func tooFewReaderCasesEverywhereGiveTheNewestFirstSetting() throws {
        var c = ModelConfiguration()
        c.mix.freshness = 0.3
        c.mix.freshnessByKind = [:]
        c.calibration.minimumReaderCases = 10_000
        let now = Timestamp(milliseconds: 69 * Self.day + Self.day * 3 / 4)
        let snapshot = Self.newestOnly(sites: 2).filteringEvents(before: now)
        let calibration = Calibrator(configuration: c).calibrate(snapshot, now: now)
        #expect(calibration.sites.count == 2)
        for site in calibration.sites {
            #expect(site.readerSource == .thin)
            #expect(site.tuning.freshness == 1 && site.tuning.hotCounts == .age)
            #expect(site.tuning.personalHotness == 0 && !site.tuning.readerDiversity)
        }
        // Each cross-site case counts for the site of most of its reads: here all of them for the first.
        let reader = try #require(calibration.sites[0].reader)
        #expect(reader.cases > 0 && reader.cases < 10_000)
        // A pinned knob keeps its configured value; the others still go newest first.
        c.calibration.pinned = [.freshness]
        let pinned = Calibrator(configuration: c).calibrate(snapshot, now: now)
        #expect(pinned.sites.allSatisfy { $0.readerSource == .thin && $0.tuning.freshness == 0.3 })
        #expect(pinned.sites.allSatisfy { $0.tuning.hotCounts == .age && !$0.tuning.readerDiversity })
        // With enough cases the same data chooses by its backtest.
        c.calibration.pinned = []
        c.calibration.minimumReaderCases = 20
        let enough = Calibrator(configuration: c).calibrate(snapshot, now: now)
        #expect(enough.sites.allSatisfy { $0.readerSource == .pooled })
    }

    @Test func pinnedKnobsAreLeftAsConfigured() throws {
        var c = ModelConfiguration()
        c.calibration.pinned = Set(CalibrationConfiguration.Knob.allCases)
        let calibration = Calibrator(configuration: c).calibrate(
            Self.newestOnly(), now: Timestamp(milliseconds: 69 * Self.day))
        let site = try #require(calibration.sites.first)
        #expect(site.tuning == SiteTuning(configuration: c, site: Self.newestOnly().sites[0]))
        #expect(site.trendingSource == .configured && site.readerSource == .configured)
        #expect(site.trending == nil && site.reader == nil)
    }

    @Test func withoutHistoryBeforeTheBacktestEverySiteKeepsItsConfiguration() throws {
        // Three days of data: no weekly origin has a case.
        let snapshot = Self.newestOnly(sites: 2, days: 3)
        let calibration = Calibrator(configuration: ModelConfiguration()).calibrate(
            snapshot, now: Timestamp(milliseconds: 3 * Self.day))
        #expect(calibration.sites.map(\.trendingSource) == [.configured, .configured])
        #expect(calibration.sites.map(\.readerSource) == [.configured, .configured])
        #expect(
            calibration.sites.map(\.tuning)
                == snapshot.sites.map { SiteTuning(configuration: ModelConfiguration(), site: $0) })
    }

    @Test func aSiteChoosesByItsOwnMeanShrunkTowardThePooledOneOrBorrowsThePooledChoice() {
        // Options 0 (configured), 1, 2. Site 0: 4 cases favouring option 2 strongly; site 1: 4 cases favouring
        // option 1 by a hair, which the pooled means (option 2 far ahead) outweigh; site 2: 1 case, below the
        // minimum of 2: the pooled best; site 3: no case.
        let values: [[[Double]]] = [
            [[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]],
            [[0.5, 0.5, 0.5, 0.5], [0.6, 0.6, 0.6, 0.6], [0.55, 0.55, 0.55, 0.55]],
            [[1], [0], [0]],
            [[], [], []],
        ]
        let choices = Calibrator.choose(values, minimum: 2, metric: "m")
        #expect(choices.map(\.option) == [2, 2, 2, 2])
        #expect(choices.map(\.source) == [.own, .own, .pooled, .pooled])
        #expect(choices[0].backtest == Backtest(metric: "m", cases: 4, chosen: 1, configured: 0))
        #expect(choices[2].backtest == Backtest(metric: "m", cases: 1, chosen: 0, configured: 1))
        #expect(choices[3].backtest == nil)
        // A strong enough lead of its own wins over the pool: site 1 at 0.9 on option 1.
        var strong = values
        strong[1][1] = [0.9, 0.9, 0.9, 0.9]
        #expect(Calibrator.choose(strong, minimum: 2, metric: "m")[1].option == 1)
        // Ties keep the configured option; no case anywhere: the configuration.
        #expect(Calibrator.choose([[[0.5, 0.5], [0.5, 0.5]]], minimum: 1, metric: "m")[0].option == 0)
        #expect(Calibrator.choose([[[], []]], minimum: 1, metric: "m").map(\.source) == [.configured])
        // One site with fewer cases than the minimum borrows the pool, which is its own cases.
        let thin = Calibrator.choose([[[0.2, 0.4], [1, 1]], [[], []]], minimum: 3, metric: "m")
        #expect(thin.map(\.option) == [1, 1] && thin.map(\.source) == [.pooled, .pooled])
        #expect(thin[0].backtest == Backtest(metric: "m", cases: 2, chosen: 1, configured: (0.2 + 0.4) / 2))
    }

    @Test func firstEngagementCallsLiveWhatTheProtocolsCallLive() {
        let snapshot = randomSnapshot()
        let first = EvaluationProtocol.FirstEngagement(snapshot)
        for hours: Int64 in [1, 200, 500, 1_000, 1_439] {
            let t = Timestamp(milliseconds: hours * 3_600_000)
            #expect(
                first.live(snapshot, at: t)
                    == EvaluationProtocol.live(snapshot, train: snapshot.filteringEvents(before: t), now: t))
        }
    }
}

/// The calibration's shared personal answers (``PersonalMemo``) change no box: every reader's box from every
/// retuned copy is the same with the memo as without, and the memo holds one answer per request and hot list.
@Suite struct PersonalMemoTests {
    @Test func retunedCopiesAnswerTheSameWithTheMemo() {
        let snapshot = CalibratorTests.newestOnly(sites: 2, days: 40)
        let now = Timestamp(milliseconds: 39 * CalibratorTests.day)
        let model = RecommendationModel(
            snapshot: snapshot.filteringEvents(before: now), configuration: .init(), now: now)
        let memo = PersonalMemo()
        var variants: [RecommendationModel] = []
        for freshness in [0.0, 0.5, 1.0] {
            for counts in [HotCount.readers, .age] {
                variants.append(
                    model.retuned(
                        model.tuning.map {
                            var t = $0
                            t.freshness = freshness
                            t.hotCounts = counts
                            return t
                        }))
            }
        }
        var compared = 0
        for variant in variants {
            for reader in 0..<20 {
                for site in [0, 1] as [Int32] {
                    let request = RecommendationRequest(reader: Int32(reader), k: 8, sites: [site], now: now)
                    let plain = variant.recommend(request)
                    #expect(variant.recommend(request, memo: memo) == plain)
                    compared += plain.count
                }
            }
        }
        #expect(compared > 500)
        // Freshness 0 asks without hot candidates; the two hot counts give two more lists: at most 3 per request.
        #expect(memo.count <= 3 * 40 && memo.count >= 40)
    }
}
