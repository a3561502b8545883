#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Trending scores for every article of a snapshot at one moment.
///
/// For article a on site s with half-life h (``RecencyConfiguration``) and baseline half-life H = f·h:
///
///     recent(a) = Σ w(e) · 2^(−age(e)/h)        baseline(a) = Σ w(e) · 2^(−age(e)/H)
///     r(a) = recent(a) · ln2 / h                 b(a) = baseline(a) · ln2 / H      (rates per day)
///     μ(s) = mean of b over the site's articles with any engagement
///     growth(a) = (r(a) + k·μ(s)) / (b(a) + k·μ(s))
///
/// A decayed sum of a steady stream of rate λ converges to λ·h/ln2, so r and b estimate the same rate when
/// nothing changes (growth 1), and growth approaches H/h = f when engagement is all recent, including an
/// article published an hour ago: new articles can trend. The prior k·μ(s) keeps a handful of events from
/// dominating. Daily aggregates count as events at noon of their day, weighted like views, up votes and comments.
public struct TrendingScores: Sendable, Equatable {
    /// The trending score of each article (by the configured measure).
    public var score: [Double]
    /// Recent and baseline rates per day, and the site prior, for explanations.
    public var recentRate: [Double]
    public var baselineRate: [Double]
    public var sitePrior: [Double]
    /// All the weighted engagement of each article (in the snapshot's window), and the time of its first
    /// engagement (ms; `Int64.max` for none): what Hacker News gravity reads, and the freshness blend's lifetime
    /// rate (``MixConfiguration/hotGravity``) with ``MixConfiguration/hotCounts`` "engagement" (else ``reach``).
    public var total: [Double]
    public var firstSeen: [Int64]
    /// How many readers each article reached: every reader with engagement of positive weight counts once,
    /// however often they came back; engagement that names no reader (anonymous events, daily totals) counts
    /// at its weight, as a view is one reader. The freshness blend's hotness reads it: an article a few people
    /// reopened all day is not as hot as one that as many different people opened once.
    public var reach: [Double]

    /// Assembles stored scores (`total` and `firstSeen` `nil`: none known, as in a model stored before them;
    /// `reach` `nil`: `total`).
    public init(
        score: [Double], recentRate: [Double], baselineRate: [Double], sitePrior: [Double], total: [Double]? = nil,
        firstSeen: [Int64]? = nil, reach: [Double]? = nil
    ) {
        self.score = score
        self.recentRate = recentRate
        self.baselineRate = baselineRate
        self.sitePrior = sitePrior
        self.total = total ?? [Double](repeating: 0, count: score.count)
        self.firstSeen = firstSeen ?? [Int64](repeating: .max, count: score.count)
        self.reach = reach ?? self.total
    }

    /// - Parameter measures: the measure of each site's scores (by site index), where a calibration chose them
    ///   (``SiteTuning/trendingMeasure``); `nil`: `configuration.measure` for every site.
    /// - Complexity: O(E + D + A).
    public init(
        snapshot: Snapshot, weights: EventWeights, recency: RecencyConfiguration,
        configuration c: TrendingConfiguration,
        now: Timestamp, measures: [TrendingMeasure]? = nil
    ) {
        let parts = Parts(snapshot: snapshot, weights: weights, recency: recency, configuration: c, now: now)
        self = parts.scores { measures?[$0] ?? c.measure }
    }

    /// The scores of every measure at once, from one pass over the events (what a calibration compares).
    /// - Parameter reach: count each article's readers (``reach``); without, `reach` is `total` and the pass skips
    ///   grouping the events by reader, half of its time: a trending box does not read reach, only the freshness
    ///   blend's hotness does.
    public static func everyMeasure(
        snapshot: Snapshot, weights: EventWeights, recency: RecencyConfiguration,
        configuration c: TrendingConfiguration, now: Timestamp, reach: Bool = true
    ) -> [TrendingMeasure: TrendingScores] {
        let parts = Parts(
            snapshot: snapshot, weights: weights, recency: recency, configuration: c, now: now, reach: reach)
        var out: [TrendingMeasure: TrendingScores] = [:]
        for m in TrendingMeasure.allCases { out[m] = parts.scores { _ in m } }
        return out
    }

    /// The decayed sums and rates of a snapshot, from which each measure's score follows.
    private struct Parts {
        let sums: DecayedSums
        let recent: [Double]
        let baseline: [Double]
        let prior: [Double]
        let site: [Int32]
        let publishedAt: [Int64?]
        let configuration: TrendingConfiguration
        let now: Int64

        init(
            snapshot: Snapshot, weights: EventWeights, recency: RecencyConfiguration,
            configuration c: TrendingConfiguration, now: Timestamp, reach: Bool = true
        ) {
            let articles = snapshot.articles
            let count = articles.count
            let halfLife = snapshot.sites.map { recency.halfLife(for: $0).inMilliseconds }
            let sums = DecayedSums(
                snapshot: snapshot, weights: weights, halfLife: halfLife, configuration: c, now: now, reach: reach)
            var r = [Double](repeating: 0, count: count)
            var b = [Double](repeating: 0, count: count)
            var siteSum = [Double](repeating: 0, count: snapshot.sites.count)
            var siteCount = [Double](repeating: 0, count: snapshot.sites.count)
            for a in 0..<count {
                let h = halfLife[Int(articles.site[a])]
                r[a] = RecencyDecay.ratePerDay(decayedSum: sums.recent[a], halfLife: h)
                b[a] = RecencyDecay.ratePerDay(decayedSum: sums.baseline[a], halfLife: h * c.baselineFactor)
                if sums.total[a] > 0 {
                    siteSum[Int(articles.site[a])] += b[a]
                    siteCount[Int(articles.site[a])] += 1
                }
            }
            prior = (0..<snapshot.sites.count).map { siteCount[$0] > 0 ? siteSum[$0] / siteCount[$0] : 0 }
            self.sums = sums
            recent = r
            baseline = b
            site = articles.site
            publishedAt = articles.publishedAt
            configuration = c
            self.now = now.milliseconds
        }

        /// The scores with each site's measure.
        func scores(measure: (Int) -> TrendingMeasure) -> TrendingScores {
            let c = configuration
            let count = recent.count
            let bySite = (0..<prior.count).map(measure)
            var score = [Double](repeating: 0, count: count)
            for a in 0..<count {
                let mu = c.priorStrength * prior[Int(site[a])]
                let total = sums.total[a]
                guard total > 0 else { continue }
                switch bySite[Int(site[a])] {
                case .growth:
                    score[a] = recent[a] + mu > 0 ? (recent[a] + mu) / (baseline[a] + mu) : 0
                case .decayedCount:
                    score[a] = sums.recent[a]
                case .hackerNewsGravity:
                    let born = publishedAt[a] ?? (sums.firstSeen[a] == .max ? now : sums.firstSeen[a])
                    score[a] = TrendingScores.gravityRate(total - 1, born: born, now: now, gravity: c.gravity)
                case .velocity:
                    score[a] = sums.newer[a] - sums.older[a]
                case .newest:
                    let born = publishedAt[a] ?? sums.firstSeen[a]
                    score[a] = RecencyDecay.newness(ageDays: Double(now - born) / Double(Timestamp.millisecondsPerDay))
                }
            }
            return TrendingScores(
                score: score, recentRate: recent, baselineRate: baseline,
                sitePrior: (0..<count).map { prior[Int(site[$0])] }, total: sums.total, firstSeen: sums.firstSeen,
                reach: sums.reach)
        }
    }

    /// Each article's engagement up to `now` (events from the future are left out), decayed with its site's
    /// half-life (`recent`) and with the baseline's (`baseline`), summed whole (`total`), its first time, and its
    /// reach (``TrendingScores/reach``). Daily aggregates count as events at noon of their day, weighted like
    /// views, up votes and comments.
    private struct DecayedSums {
        var recent: [Double]
        var baseline: [Double]
        var total: [Double]
        var firstSeen: [Int64]
        var reach: [Double]
        /// Velocity's halves: the engagement of the last half-life, and of the one before it.
        var newer: [Double]
        var older: [Double]

        init(
            snapshot: Snapshot, weights: EventWeights, halfLife: [Double], configuration c: TrendingConfiguration,
            now: Timestamp, reach countReach: Bool = true
        ) {
            let count = snapshot.articles.count
            recent = [Double](repeating: 0, count: count)
            baseline = recent
            total = recent
            reach = recent
            newer = recent
            older = recent
            firstSeen = [Int64](repeating: .max, count: count)
            let nowMs = now.milliseconds
            let site = snapshot.articles.site
            func add(_ a: Int, _ w: Double, _ t: Int64) -> Bool {
                guard w != 0, t <= nowMs else { return false }
                let h = halfLife[Int(site[a])]
                let age = Double(nowMs - t)
                recent[a] += w * RecencyDecay.factor(age: age, halfLife: h)
                baseline[a] += w * RecencyDecay.factor(age: age, halfLife: h * c.baselineFactor)
                total[a] += w
                if age < h { newer[a] += w } else if age < 2 * h { older[a] += w }
                firstSeen[a] = min(firstSeen[a], t)
                return true
            }
            let e = snapshot.events
            for i in 0..<e.count {
                let w = weights.weight(e.type[i], value: e.value[i])
                if add(Int(e.article[i]), w, e.time[i]), e.reader[i] < 0 { reach[Int(e.article[i])] += w }
            }
            if countReach { addReaders(snapshot, weights: weights, now: nowMs) }
            let d = snapshot.daily
            for i in 0..<d.count {
                let w =
                    Double(d.views[i]) * weights[.view] + Double(d.votes[i]) * weights[.upvote]
                    + Double(d.comments[i]) * weights[.comment]
                if add(Int(d.article[i]), w, Timestamp.noon(ofDay: d.day[i]).milliseconds) {
                    reach[Int(d.article[i])] += w
                }
            }
            if !countReach { reach = total }
        }

        /// Readers: each reader's events in turn, each article marked with the last reader counted; every reader
        /// with engagement of positive weight counts once.
        private mutating func addReaders(_ snapshot: Snapshot, weights: EventWeights, now nowMs: Int64) {
            let e = snapshot.events
            let readers = snapshot.readers.count
            let (start, byReader) = grouped(count: e.count, groups: readers) { Int(e.reader[$0]) }
            var lastReader = [Int32](repeating: -1, count: recent.count)
            for u in 0..<readers {
                for k in start[u]..<start[u + 1] {
                    let i = Int(byReader[k])
                    let a = Int(e.article[i])
                    guard lastReader[a] != Int32(u), e.time[i] <= nowMs,
                        weights.weight(e.type[i], value: e.value[i]) > 0
                    else { continue }
                    lastReader[a] = Int32(u)
                    reach[a] += 1
                }
            }
        }
    }

    /// `engagement` / (hours from `born` to `now` + 2)^`gravity`: Hacker News gravity (with engagement − 1, γ 1.8)
    /// and the freshness blend's lifetime rate (``MixConfiguration/hotGravity``). Times in ms.
    public static func gravityRate(_ engagement: Double, born: Int64, now: Int64, gravity: Double) -> Double {
        engagement / pow(max(0, Double(now - born) / 3_600_000) + 2, gravity)
    }
}
