public import TrendmixCore
import TrendmixLinearAlgebra

/// Chooses, per site, what its boxes use (``SiteTuning``) by replaying the site's own recent history: a rolling
/// backtest on the events before the build's `now` only, judged by the evaluation protocols' relevance and metrics.
///
/// - The trending box: at weekly origins T before `now`, each site's box of `k` (asked as the trending protocol
///   asks it: that site, no reader, no seed) ranked by each ``TrendingMeasure`` on the events before T, judged by
///   graded nDCG@k against the site's engagement in [T, T + horizon), the trending protocol's relevance.
/// - The reader box: at the last origins, a model built on the events before T (co-occurrence over a seeded sample
///   of readers where the events are many, ``CalibrationConfiguration/maximumSampledEvents``); each reader with
///   history who read articles new to them in [T, T + horizon) is a case, as the rolling temporal protocol judges
///   them: on a one-site catalogue that site's box, on several sites the reader's box over every site (the box
///   that is served, quotas and all). Each setting of freshness, hot counts, reader-specific hotness and tag
///   diversity is judged by nDCG@k, and one setting is chosen for every site from all the cases (below).
///
/// Choosing (the trending box per site; the reader box once, its pool being every case): each setting's mean on
/// the site's cases, shrunk toward its mean over every site's cases with the weight of the minimum case count
/// (`(Σ site + m · pooled mean) / (n + m)`), the best kept; a trending box with fewer cases than the minimum takes
/// the pooled best, however few cases the pool has. The reader box with fewer cases than the minimum in the whole
/// pool is newest first (``thinOption``, ``SiteCalibration/Source/thin``): keeping the configuration there lost
/// (bicycles.meta's rolling nDCG@10 0.430 against 0.505 with the best of its few cases), and the best of a few
/// cases lost too (French Language Meta, 2 cases in 26 weeks: 0.385 against Newest's 0.450, significant; newest
/// first: 0.447). With no case at all the configuration stays (nothing was measured). Ties keep the configuration's setting, so a site whose history says nothing keeps what it was
/// configured with. Pinned knobs (``CalibrationConfiguration/pinned``) are not varied.
public struct Calibrator: Sendable {
    public let configuration: ModelConfiguration
    /// The box size judged.
    public var k = 10

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
    }

    /// What a build learns, calibrated where the configuration asks for it (``CalibrationConfiguration/enabled``).
    public static func learn(snapshot: Snapshot, configuration: ModelConfiguration, now: Timestamp) -> LearnedModel {
        let calibration =
            configuration.calibration.enabled
            ? Calibrator(configuration: configuration).calibrate(snapshot, now: now) : nil
        return LearnedModel(
            snapshot: snapshot, configuration: configuration, now: now, calibration: calibration,
            neighbours: .learned(snapshot: snapshot, configuration: configuration.cooccurrence))
    }

    /// Each site's choice and its backtest figures.
    public func calibrate(_ snapshot: Snapshot, now: Timestamp) -> Calibration {
        let c = configuration.calibration
        let trending = trendingChoices(snapshot, now: now)
        let reader = readerChoices(snapshot, now: now)
        let sites = snapshot.sites.enumerated().map { (s, site) in
            var tuning = SiteTuning(configuration: configuration, site: site)
            trending.options[trending.choices[s].option].apply(to: &tuning)
            let option = reader.options[reader.choices[s].option]
            option.apply(to: &tuning)
            return SiteCalibration(
                site: site.slug, tuning: tuning, trendingSource: trending.choices[s].source,
                readerSource: reader.choices[s].source, trending: trending.choices[s].backtest,
                reader: reader.choices[s].backtest)
        }
        return Calibration(
            sites: sites, horizonDays: c.horizon.inDays, trendingOrigins: c.trendingOrigins,
            readerOrigins: reader.origins)
    }

    // MARK: - The trending box

    /// A setting of the trending box; `nil` parts are the configuration's.
    struct TrendingOption: Hashable {
        var measure: TrendingMeasure?
        var diversity: Bool?

        func apply(to tuning: inout SiteTuning) {
            if let measure { tuning.trendingMeasure = measure }
            if let diversity { tuning.trendingDiversity = diversity }
        }
    }

    /// The settings compared: the configuration's first, then every measure with and without tag diversity
    /// (the knobs not pinned).
    var trendingOptions: [TrendingOption] {
        let pinned = configuration.calibration.pinned
        let measures: [TrendingMeasure?] = pinned.contains(.trendingMeasure) ? [nil] : TrendingMeasure.allCases
        let diversity: [Bool?] = pinned.contains(.tagDiversity) ? [nil] : [true, false]
        var options = [TrendingOption()]
        for m in measures {
            for d in diversity where TrendingOption(measure: m, diversity: d) != TrendingOption() {
                options.append(TrendingOption(measure: m, diversity: d))
            }
        }
        return options
    }

    /// Per site, the trending box's measure and tag diversity.
    private func trendingChoices(
        _ snapshot: Snapshot, now: Timestamp
    ) -> (options: [TrendingOption], choices: [Choice]) {
        let c = configuration.calibration
        let options = trendingOptions
        var values = [[[Double]]](
            repeating: [[Double]](repeating: [], count: options.count), count: snapshot.sites.count)
        let first = EvaluationProtocol.FirstEngagement(snapshot)
        let step = Int64(c.horizon.inMilliseconds)
        // The origins are independent: each on its own core, merged in origin order.
        let origins = options.count > 1 ? max(0, c.trendingOrigins) : 0
        let perOrigin = parallelMap(count: origins, chunks: origins) { range in
            range.map { j in
                trendingValues(
                    snapshot, at: Timestamp(milliseconds: now.milliseconds - Int64(j + 1) * step), horizon: step,
                    first: first, options: options)
            }
        }
        for origin in perOrigin.joined() {
            for (s, site) in origin.enumerated() {
                for (o, value) in site.enumerated() { if let value { values[s][o].append(value) } }
            }
        }
        let choices = Self.choose(values, minimum: c.minimumTrendingCases, metric: "nDCG@\(k) graded")
        return (options, choices)
    }

    /// One origin of the trending backtest: per site (with engagement in [T, T + horizon)) and option, the graded
    /// nDCG@k of its box ranked on the events before T; `nil` for a site without a case. One model is assembled
    /// per origin; the other measures only sort their trending orders again.
    private func trendingValues(
        _ snapshot: Snapshot, at t: Timestamp, horizon: Int64, first: EvaluationProtocol.FirstEngagement,
        options: [TrendingOption]
    ) -> [[Double?]] {
        var out = [[Double?]](repeating: [Double?](repeating: nil, count: options.count), count: snapshot.sites.count)
        let relevance = EvaluationProtocol.siteEngagement(
            snapshot, weights: configuration.weights, live: first.live(snapshot, at: t), from: t,
            to: Timestamp(milliseconds: t.milliseconds + horizon))
        guard relevance.contains(where: { !$0.isEmpty }) else { return out }
        // Scores as of just before T: the events at T and later are the ones judged.
        let scores = TrendingScores.everyMeasure(
            snapshot: snapshot, weights: configuration.weights, recency: configuration.recency,
            configuration: configuration.trending, now: Timestamp(milliseconds: t.milliseconds - 1), reach: false)
        let configured = configuration.trending.measure
        guard let own = scores[configured] else { return out }
        let base = RecommendationModel(
            catalogue: snapshot.catalogue,
            learned: LearnedModel(
                readers: [], neighbours: .empty(articleCount: snapshot.articles.count),
                sessionNeighbours: .empty(articleCount: snapshot.articles.count), trending: own,
                affinity: ReaderAffinity(offsets: [0], articles: [], weights: [])),
            builtAt: t, configuration: configuration)
        var byMeasure: [TrendingMeasure: RecommendationModel] = [configured: base]
        for (o, option) in options.enumerated() {
            let measure = option.measure ?? configured
            guard let trending = scores[measure] else { continue }
            let scored = byMeasure[measure] ?? base.replacingTrendingScores(trending, measure: measure)
            byMeasure[measure] = scored
            let model = scored.retuned(
                scored.tuning.map {
                    var tuning = $0
                    option.apply(to: &tuning)
                    return tuning
                })
            for (s, grades) in relevance.enumerated() where !grades.isEmpty {
                let box = model.recommend(RecommendationRequest(k: k, sites: [Int32(s)], now: t)).map(\.article)
                out[s][o] = RankingMetrics.values(ranked: box, relevance: grades, k: k).gradedNDCG
            }
        }
        return out
    }

    // MARK: - The reader box

    /// A setting of the reader box; `nil` parts are the site's configured value.
    struct ReaderOption: Hashable {
        var freshness: Double?
        var hotCounts: HotCount?
        var personalHotness: Double?
        var diversity: Bool?

        func apply(to tuning: inout SiteTuning) {
            if let freshness { tuning.freshness = freshness }
            if let hotCounts { tuning.hotCounts = hotCounts }
            if let personalHotness { tuning.personalHotness = personalHotness }
            if let diversity { tuning.readerDiversity = diversity }
        }
    }

    /// The settings compared: the configuration's first, then the grid over the knobs not pinned.
    var readerOptions: [ReaderOption] {
        let pinned = configuration.calibration.pinned
        let freshness: [Double?] = pinned.contains(.freshness) ? [nil] : [0, 0.5, 0.85, 1]
        let counts: [HotCount?] = pinned.contains(.hotCounts) ? [nil] : [.readers, .age]
        let rho: [Double?] = pinned.contains(.personalHotness) ? [nil] : [0, 1]
        let diversity: [Bool?] = pinned.contains(.tagDiversity) ? [nil] : [true, false]
        var options = [ReaderOption()]
        for f in freshness {
            for h in counts {
                for r in rho {
                    for d in diversity {
                        let o = ReaderOption(freshness: f, hotCounts: h, personalHotness: r, diversity: d)
                        if o != ReaderOption() { options.append(o) }
                    }
                }
            }
        }
        return options
    }

    /// The reader box's setting where the backtest has too few cases to choose by (``SiteCalibration/Source/thin``):
    /// newest first (freshness 1, hot counts `age`, no reader-specific hotness, no tag diversity), the knobs not
    /// pinned.
    var thinOption: ReaderOption {
        let pinned = configuration.calibration.pinned
        return ReaderOption(
            freshness: pinned.contains(.freshness) ? nil : 1, hotCounts: pinned.contains(.hotCounts) ? nil : .age,
            personalHotness: pinned.contains(.personalHotness) ? nil : 0,
            diversity: pinned.contains(.tagDiversity) ? nil : false)
    }

    /// Per site, the reader box's setting.
    private func readerChoices(
        _ snapshot: Snapshot, now: Timestamp
    ) -> (options: [ReaderOption], choices: [Choice], origins: Int) {
        let c = configuration.calibration
        let options = readerOptions
        var values = [[[Double]]](
            repeating: [[Double]](repeating: [], count: options.count), count: snapshot.sites.count)
        let first = EvaluationProtocol.FirstEngagement(snapshot)
        let step = Int64(c.horizon.inMilliseconds)
        var judged = 0
        for j in 0..<(options.count > 1 ? max(0, c.readerOrigins) : 0) {
            let counts = values.map { $0[0].count }.filter { $0 > 0 }
            if !counts.isEmpty, counts.allSatisfy({ $0 >= c.targetReaderCases }) { break }
            let t = Timestamp(milliseconds: now.milliseconds - Int64(j + 1) * step)
            let backtest = ReaderBacktest(
                snapshot, configuration: configuration, at: t, horizon: step,
                live: first.live(snapshot, at: t), seed: UInt64(j + 1))
            guard let origin = backtest.model else { continue }
            judged = j + 1
            var byCounts: [HotCount?: RecommendationModel] = [nil: origin]
            // The options' models share the origin's neighbours and affinities: each case's personal stage is
            // asked once per list of hot candidates, not once per option.
            let memo = PersonalMemo()
            for (o, option) in options.enumerated() {
                let base =
                    byCounts[option.hotCounts]
                    ?? origin.retuned(
                        origin.tuning.map {
                            var t = $0
                            t.hotCounts = option.hotCounts ?? t.hotCounts
                            return t
                        })
                byCounts[option.hotCounts] = base
                let model = base.retuned(
                    snapshot.sites.map {
                        var tuning = SiteTuning(configuration: configuration, site: $0)
                        option.apply(to: &tuning)
                        return tuning
                    })
                let cases = backtest.cases
                let k = k
                let scored = parallelMap(count: cases.count, chunks: 8) { range in
                    range.map { i in
                        let box = model.recommend(
                            RecommendationRequest(
                                reader: cases[i].reader, k: k, sites: cases[i].crossSite ? nil : [cases[i].site],
                                now: t),
                            memo: memo
                        ).map(\.article)
                        return RankingMetrics.values(ranked: box, relevance: cases[i].relevance, k: k).ndcg
                    }
                }
                for (item, value) in zip(cases, scored.joined()) { values[Int(item.site)][o].append(value) }
            }
        }
        // One setting for every site, chosen over all their cases: a reader's box ranks several sites' candidates
        // together (a several-site backtest's cases are such boxes, ReaderBacktest), so a site's own choice would
        // judge a box nobody is served. On the eight Stack Exchange sites aligned (Data/), per-site choices from
        // per-site boxes halved the rolling protocol's nDCG@10 (0.094 against 0.191 uncalibrated); this: 0.165.
        let pooled = [(0..<options.count).map { o in values.flatMap { $0[o] } }]
        var one = Self.choose(pooled, minimum: c.minimumReaderCases, metric: "nDCG@\(k)")[0]
        if let total = pooled[0].first?.count, total > 0, total < c.minimumReaderCases {
            // Too few cases even together: their best is noise. Newest first needs no evidence, and where readers
            // are this sparse, what they open next is mostly what was just asked.
            one = Choice(option: options.firstIndex(of: thinOption) ?? 0, source: .thin, backtest: nil)
        }
        let source: SiteCalibration.Source = values.count > 1 && one.source == .own ? .pooled : one.source
        let choices = values.map { site in
            let n = site.first?.count ?? 0
            let mean = { (o: Int) in n > 0 ? site[o].reduce(0, +) / Double(n) : 0 }
            return Choice(
                option: one.option,
                source: n > 0 || values.count == 1 || source == .configured || source == .thin ? source : .pooled,
                backtest: n > 0
                    ? Backtest(metric: "nDCG@\(k)", cases: n, chosen: mean(one.option), configured: mean(0)) : nil)
        }
        return (options, choices, judged)
    }

    // MARK: - Choosing

    struct Choice {
        var option: Int
        var source: SiteCalibration.Source
        var backtest: Backtest?
    }

    /// Per site, the best option by its cases' mean shrunk toward the pooled mean (see ``Calibrator``); option 0
    /// is the configuration's, kept on ties.
    /// - Parameter values: site → option → the value of each of the site's cases (every option has the same cases).
    static func choose(_ values: [[[Double]]], minimum: Int, metric: String) -> [Choice] {
        let optionCount = values.first?.count ?? 0
        var pooledSum = [Double](repeating: 0, count: optionCount)
        var pooledCount = 0
        for site in values {
            for o in 0..<optionCount { pooledSum[o] += site[o].reduce(0, +) }
            pooledCount += site.first?.count ?? 0
        }
        guard pooledCount > 0 else {
            return values.map { _ in Choice(option: 0, source: .configured, backtest: nil) }
        }
        let pooledMean = pooledSum.map { $0 / Double(pooledCount) }
        var pooledBest = 0
        for o in 0..<optionCount where pooledMean[o] > pooledMean[pooledBest] { pooledBest = o }
        let m = Double(max(1, minimum))
        return values.map { site in
            let n = site.first?.count ?? 0
            let mine = 0
            func mean(_ o: Int) -> Double { n > 0 ? site[o].reduce(0, +) / Double(n) : 0 }
            guard n >= minimum else {
                let backtest =
                    n > 0 ? Backtest(metric: metric, cases: n, chosen: mean(pooledBest), configured: mean(mine)) : nil
                return Choice(option: pooledBest, source: .pooled, backtest: backtest)
            }
            func shrunk(_ o: Int) -> Double { (site[o].reduce(0, +) + m * pooledMean[o]) / (Double(n) + m) }
            var best = mine
            for o in 0..<optionCount where shrunk(o) > shrunk(best) { best = o }
            return Choice(
                option: best, source: .own,
                backtest: Backtest(metric: metric, cases: n, chosen: mean(best), configured: mean(mine)))
        }
    }

    // MARK: - Shared
}
