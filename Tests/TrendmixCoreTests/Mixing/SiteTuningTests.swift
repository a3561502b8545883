import Testing
import TrendmixCore

@Suite struct SiteTuningTests {
    @Test func retuningWithItsOwnTuningChangesNoBox() {
        let (_, model) = mixFixture()
        let same = model.retuned(model.tuning)
        let requests = [
            RecommendationRequest(k: 5, now: model.builtAt), RecommendationRequest(seed: 0, k: 5, now: model.builtAt),
            RecommendationRequest(reader: 0, k: 5, now: model.builtAt),
            RecommendationRequest(reader: 7, k: 4, sites: [1], now: model.builtAt),
        ]
        for r in requests { #expect(same.recommend(r) == model.recommend(r)) }
        #expect(same.hotness == model.hotness && same.hotOrder == model.hotOrder)
    }

    @Test func replacingTheTrendingScoresEqualsAssemblingWithThatMeasure() {
        let (snapshot, model) = mixFixture()
        let c = model.configuration
        let all = TrendingScores.everyMeasure(
            snapshot: snapshot, weights: c.weights, recency: c.recency, configuration: c.trending, now: model.builtAt)
        for measure in TrendingMeasure.allCases {
            var with = c
            with.trending.measure = measure
            let assembled = RecommendationModel(snapshot: snapshot, configuration: with, now: model.builtAt)
            let replaced = model.replacingTrendingScores(all[measure]!, measure: measure)
            #expect(replaced.trendingOrder == assembled.trendingOrder)
            #expect(replaced.tuning.map(\.trendingMeasure) == assembled.tuning.map(\.trendingMeasure))
            for site: Int32 in 0..<3 {
                let r = RecommendationRequest(k: 4, sites: [site], now: model.builtAt)
                #expect(replaced.recommend(r) == assembled.recommend(r))
            }
        }
    }

    @Test func hotCountsAgeMakesTheNewestEngagedArticleTheHottest() {
        let (_, model) = mixFixture()
        // Travel: a4 and a5 read on day 20, a6 on day 21; published on days 4, 5 and 6.
        let byReaders = model.hotOrder[1].prefix(3)
        #expect(byReaders.first == 6)
        var tuning = model.tuning
        tuning[1].hotCounts = .age
        let aged = model.retuned(tuning)
        #expect(Array(aged.hotOrder[1].prefix(3)) == [6, 5, 4])
        #expect(aged.hotOrder[0] == model.hotOrder[0] && aged.hotOrder[2] == model.hotOrder[2])
        #expect(aged.tuning[1].hotCounts == .age && aged.readerFreshness == model.readerFreshness)
    }

    @Test func tagDiversityIsPerSiteAndPerBox() {
        // Blog: a8 [fashion], a9 [fashion, japan], a10 [food], a11 [hiking]; a9 and a10 trend, then a8.
        let (_, model) = mixFixture()
        let request = RecommendationRequest(k: 3, sites: [2], now: model.builtAt)
        var tuning = model.tuning
        tuning[2].trendingDiversity = false
        let plain = model.retuned(tuning)
        let diverse = model.recommend(request).map(\.article)
        let undiverse = plain.recommend(request).map(\.article)
        // a8 repeats a9's first tag: with diversity a11 (a new tag, from the newest stage) takes its place.
        #expect(diverse == [9, 10, 11])
        #expect(undiverse == [9, 10, 8])
        // The reader box of the same site keeps its own setting.
        let reader = RecommendationRequest(reader: 0, k: 3, sites: [2], now: model.builtAt)
        #expect(plain.recommend(reader) == model.recommend(reader))
    }

    @Test func aCalibrationAppliesBySlugAndLeavesOtherSitesAsConfigured() {
        let (snapshot, model) = mixFixture()
        var chosen = SiteTuning(configuration: model.configuration, site: snapshot.sites[1])
        chosen.trendingMeasure = .newest
        chosen.freshness = 1
        chosen.hotCounts = .age
        let entry = SiteCalibration(
            site: "travel", tuning: chosen, trendingSource: .own, readerSource: .pooled,
            trending: Backtest(metric: "nDCG@10 graded", cases: 8, chosen: 0.6, configured: 0.4), reader: nil)
        let calibration = Calibration(
            sites: [
                entry,
                SiteCalibration(
                    site: "gone", tuning: chosen, trendingSource: .own, readerSource: .own, trending: nil, reader: nil),
            ],
            horizonDays: 7, trendingOrigins: 8, readerOrigins: 1)
        let learned = LearnedModel(
            snapshot: snapshot, configuration: model.configuration, now: model.builtAt, calibration: calibration)
        let calibrated = RecommendationModel(
            catalogue: snapshot.catalogue, learned: learned, builtAt: model.builtAt, configuration: model.configuration)
        #expect(calibrated.tuning[1] == chosen)
        #expect(calibrated.tuning[0] == model.tuning[0] && calibrated.tuning[2] == model.tuning[2])
        #expect(calibrated.calibrated.map { $0?.site } == [nil, "travel", nil])
        #expect(calibrated.readerFreshness[1] == 1 && calibrated.readerFreshness[0] == model.readerFreshness[0])
        // Travel's trending scores are newness; the others keep growth.
        #expect(calibrated.trending.score[6] == RecencyDecay.newness(ageDays: 15))
        #expect(calibrated.trending.score[0] == model.trending.score[0])
        #expect(calibrated.learned == learned)
    }
}
