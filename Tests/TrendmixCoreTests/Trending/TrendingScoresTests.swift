import Testing
import TrendmixCore

@Suite struct TrendingScoresTests {
    let day: Int64 = 86_400_000

    /// One news site (half-life 1 day, baseline 7 days), weights 1, prior strength 1.
    func scores(
        _ rows: [(Int, Int64)], articles: Int = 2, measure: TrendingMeasure = .growth, daily: Snapshot.Daily = .init()
    )
        -> TrendingScores
    {
        var a = Snapshot.Articles()
        for i in 0..<articles { a.append(site: 0, externalID: "a\(i)", publishedAt: 0) }
        var e = Snapshot.Events()
        for (article, time) in rows { e.append(article: Int32(article), reader: 0, type: .view, time: time) }
        let snapshot = Snapshot(
            sites: [Site(slug: "n", name: "N", kind: "news", baseURL: "https://n.example")], articles: a, tags: [],
            readers: ["r"], events: e, daily: daily)
        var c = TrendingConfiguration()
        c.measure = measure
        return TrendingScores(
            snapshot: snapshot, weights: .uniform, recency: RecencyConfiguration(), configuration: c,
            now: Timestamp(milliseconds: 10 * day))
    }

    @Test func computesRatesAndGrowthByHand() {
        // a0: one event now. recent = 1, baseline = 1; r = ln2/1 day, b = ln2/7.
        // a1: one event 7 days ago. recent = 2^-7, baseline = 0.5; r = 2^-7·ln2, b = 0.5·ln2/7.
        // Site prior μ = mean(b) = (ln2/7 + 0.5·ln2/7)/2 = 0.75·ln2/7.
        let s = scores([(0, 10 * day), (1, 3 * day)])
        let ln2 = 0.6931471805599453
        #expect(abs(s.recentRate[0] - ln2) < 1e-12)
        #expect(abs(s.baselineRate[0] - ln2 / 7) < 1e-12)
        let mu = 0.75 * ln2 / 7
        #expect(abs(s.sitePrior[0] - mu) < 1e-12)
        #expect(abs(s.score[0] - (ln2 + mu) / (ln2 / 7 + mu)) < 1e-12)
        #expect(abs(s.score[1] - (ln2 / 128 + mu) / (0.5 * ln2 / 7 + mu)) < 1e-12)
        #expect(s.score[0] > 1 && s.score[1] < 1)
    }

    @Test func aSteadyStreamDoesNotTrend() {
        // One event an hour for 60 days: recent and baseline rates agree (growth ≈ 1).
        let hour: Int64 = 3_600_000
        let s = scores((0..<(60 * 24)).map { (0, 10 * day - Int64($0) * hour) }, articles: 1)
        #expect(abs(s.score[0] - 1) < 0.02)
    }

    @Test func aNewBurstOutranksAnOldHeavyHitterAndAHandfulIsSmoothed() {
        // a0: 50 events today (new). a1: 200 events spread over 60 days (old, steady). a2: 1 event today.
        var rows: [(Int, Int64)] = (0..<50).map { (0, 10 * day - Int64($0) * 60_000) }
        rows += (0..<200).map { (1, 10 * day - Int64($0) * 7_200_000 * 3) }
        rows.append((2, 10 * day))
        let s = scores(rows, articles: 3)
        #expect(s.score[0] > s.score[1])
        #expect(s.score[0] > s.score[2])
        #expect(s.score[2] < s.score[0] / 2)  // one event cannot match fifty
    }

    @Test func dailyAggregatesFeedTrending() {
        var daily = Snapshot.Daily()
        daily.append(article: 1, day: 9, views: 100, votes: 0, score: 0, comments: 0)
        let s = scores([(0, 10 * day)], daily: daily)
        #expect(s.recentRate[1] > 0)
    }

    @Test func reachCountsEachReaderOnceAndUnnamedEngagementAtItsWeight() {
        // a0: reader 0 three times, reader 1 once (a like), a downvote (weight 0) by reader 2, a view after `now`
        // by reader 3, an anonymous like: 2 readers + 2. a1: 40 views on one day.
        var a = Snapshot.Articles()
        for i in 0..<2 { a.append(site: 0, externalID: "a\(i)", publishedAt: 0) }
        var e = Snapshot.Events()
        for t in [day, 2 * day, 3 * day] { e.append(article: 0, reader: 0, type: .view, time: t) }
        e.append(article: 0, reader: 1, type: .like, time: day)
        e.append(article: 0, reader: 2, type: .downvote, time: day)
        e.append(article: 0, reader: 3, type: .view, time: 11 * day)
        e.append(article: 0, reader: -1, type: .like, time: day)
        var daily = Snapshot.Daily()
        daily.append(article: 1, day: 9, views: 40, votes: 0, score: 0, comments: 0)
        let snapshot = Snapshot(
            sites: [Site(slug: "n", name: "N", kind: "news", baseURL: "https://n.example")], articles: a, tags: [],
            readers: ["r0", "r1", "r2", "r3"], events: e, daily: daily)
        let s = TrendingScores(
            snapshot: snapshot, weights: .default, recency: RecencyConfiguration(), configuration: .init(),
            now: Timestamp(milliseconds: 10 * day))
        #expect(s.reach == [4, 40])
        #expect(s.total == [7, 40])
    }

    @Test func alternativesAreThePlainDecayedCountAndHackerNewsGravity() {
        let plain = scores([(0, 10 * day), (0, 9 * day)], measure: .decayedCount)
        #expect(abs(plain.score[0] - 1.5) < 1e-12)
        // HN: (2 events − 1) / (240 hours since publication + 2)^1.8.
        let hn = scores([(0, 10 * day), (0, 9 * day)], measure: .hackerNewsGravity)
        #expect(abs(hn.score[0] - 1 / pow(242.0, 1.8)) < 1e-15)
    }
}

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct NewTrendingMeasuresTests {
    let day: Int64 = 86_400_000

    /// One news site (half-life 1 day): a0 published on day 9 with 3 events on day 10 (newer half: 3, older: 0);
    /// a1 published on day 2 with 5 events on day 8.6 (older half: 5, newer: 0) and 1 on day 10.
    func snapshot() -> Snapshot {
        var a = Snapshot.Articles()
        a.append(site: 0, externalID: "a0", publishedAt: 9 * day)
        a.append(site: 0, externalID: "a1", publishedAt: 2 * day)
        var e = Snapshot.Events()
        for k in 0..<3 { e.append(article: 0, reader: Int32(k), type: .view, time: 10 * day - Int64(k) * 1_000) }
        for k in 0..<5 { e.append(article: 1, reader: Int32(k), type: .view, time: 8 * day + day * 6 / 10) }
        e.append(article: 1, reader: 0, type: .view, time: 10 * day)
        return Snapshot(
            sites: [Site(slug: "n", name: "N", kind: "news", baseURL: "https://n.example")], articles: a, tags: [],
            readers: (0..<5).map { "r\($0)" }, events: e)
    }

    func scores(_ measure: TrendingMeasure) -> TrendingScores {
        var c = TrendingConfiguration()
        c.measure = measure
        return TrendingScores(
            snapshot: snapshot(), weights: .uniform, recency: RecencyConfiguration(), configuration: c,
            now: Timestamp(milliseconds: 10 * day))
    }

    @Test func velocityIsTheNewerHalfMinusTheOlderHalf() {
        // Window: two half-lives (2 days). a0: 3 − 0; a1: 1 − 5 (day 8.6 is 1.4 days old: the older half).
        let s = scores(.velocity)
        #expect(s.score == [3, -4])
    }

    @Test func newestRanksByAgeAsTheNewestStageScoresIt() {
        let s = scores(.newest)
        #expect(s.score[0] == RecencyDecay.newness(ageDays: 1))
        #expect(s.score[1] == RecencyDecay.newness(ageDays: 8))
        #expect(s.score[0] > s.score[1])
        #expect(RecencyDecay.newness(ageDays: -3) == 1)
    }

    @Test func everyMeasureEqualsEachMeasureAloneAndSitesCanDiffer() {
        let all = TrendingScores.everyMeasure(
            snapshot: snapshot(), weights: .uniform, recency: RecencyConfiguration(),
            configuration: TrendingConfiguration(), now: Timestamp(milliseconds: 10 * day))
        for m in TrendingMeasure.allCases { #expect(all[m] == scores(m)) }
        // Without reach: the same scores, reach read as the total.
        let quick = TrendingScores.everyMeasure(
            snapshot: snapshot(), weights: .uniform, recency: RecencyConfiguration(),
            configuration: TrendingConfiguration(), now: Timestamp(milliseconds: 10 * day), reach: false)
        for m in TrendingMeasure.allCases {
            #expect(quick[m]?.score == all[m]?.score && quick[m]?.reach == all[m]?.total)
        }
        #expect(all[.growth]?.reach != all[.growth]?.total)
        let perSite = TrendingScores(
            snapshot: snapshot(), weights: .uniform, recency: RecencyConfiguration(),
            configuration: TrendingConfiguration(), now: Timestamp(milliseconds: 10 * day), measures: [.velocity])
        #expect(perSite == scores(.velocity))
    }

    @Test func postedEngagementMovesVelocityAndNewestAsARebuildWould() {
        // One more event on a0 at `now`: velocity grows by its weight; newest does not move.
        var velocity = scores(.velocity)
        velocity.add(
            article: 0, weight: 1, halfLife: Double(day), configuration: TrendingConfiguration(),
            now: Timestamp(milliseconds: 10 * day), publishedAt: 9 * day, measure: .velocity)
        #expect(velocity.score[0] == 4)
        var newest = scores(.newest)
        let before = newest.score[0]
        newest.add(
            article: 0, weight: 1, halfLife: Double(day), configuration: TrendingConfiguration(),
            now: Timestamp(milliseconds: 10 * day), publishedAt: 9 * day, measure: .newest)
        #expect(newest.score[0] == before)
    }
}
