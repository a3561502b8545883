#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How "trending" is measured. See `docs/trending.md` for the formulas and how they compare.
public enum TrendingMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Smoothed growth: the article's recent engagement rate over its own longer-term rate, both shrunk
    /// toward the site's typical rate. Trendmix's default.
    case growth
    /// The plain decayed engagement (recent volume), for comparison.
    case decayedCount
    /// Hacker News' gravity, (engagement − 1) / (age in hours + 2)^1.8, age counted from publication.
    case hackerNewsGravity
}

/// The trending settings.
public struct TrendingConfiguration: Sendable, Hashable, Codable {
    public var measure: TrendingMeasure = .growth
    /// The long half-life (the article's own baseline) as a multiple of the site's half-life.
    public var baselineFactor: Double = 7
    /// Weight of the site's typical rate in both numerator and denominator (pseudo-observations).
    public var priorStrength: Double = 1
    /// HN gravity exponent.
    public var gravity: Double = 1.8

    public init() {}
}

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

    /// - Complexity: O(E + D + A).
    public init(
        snapshot: Snapshot, weights: EventWeights, recency: RecencyConfiguration,
        configuration c: TrendingConfiguration,
        now: Timestamp
    ) {
        let articles = snapshot.articles
        let count = articles.count
        let halfLife = snapshot.sites.map { recency.halfLife(for: $0).inMilliseconds }
        var recent = [Double](repeating: 0, count: count)
        var baseline = [Double](repeating: 0, count: count)
        var total = [Double](repeating: 0, count: count)
        var firstSeen = [Int64](repeating: .max, count: count)
        let nowMs = now.milliseconds

        var reach = [Double](repeating: 0, count: count)
        func add(_ a: Int, _ w: Double, _ t: Int64) {
            guard w != 0, t <= nowMs else { return }
            let h = halfLife[Int(articles.site[a])]
            let age = Double(nowMs - t)
            recent[a] += w * RecencyDecay.factor(age: age, halfLife: h)
            baseline[a] += w * RecencyDecay.factor(age: age, halfLife: h * c.baselineFactor)
            total[a] += w
            firstSeen[a] = min(firstSeen[a], t)
        }
        let e = snapshot.events
        for i in 0..<e.count {
            let w = weights.weight(e.type[i], value: e.value[i])
            add(Int(e.article[i]), w, e.time[i])
            if e.reader[i] < 0, w != 0, e.time[i] <= nowMs { reach[Int(e.article[i])] += w }
        }
        // Readers: each reader's events in turn, each article marked with the last reader counted.
        let readers = snapshot.readers.count
        let (start, byReader) = grouped(count: e.count, groups: readers) { Int(e.reader[$0]) }
        var lastReader = [Int32](repeating: -1, count: count)
        for u in 0..<readers {
            for k in start[u]..<start[u + 1] {
                let i = Int(byReader[k])
                let a = Int(e.article[i])
                guard lastReader[a] != Int32(u), e.time[i] <= nowMs, weights.weight(e.type[i], value: e.value[i]) > 0
                else { continue }
                lastReader[a] = Int32(u)
                reach[a] += 1
            }
        }
        let d = snapshot.daily
        for i in 0..<d.count {
            let w =
                Double(d.views[i]) * weights[.view] + Double(d.votes[i]) * weights[.upvote]
                + Double(d.comments[i]) * weights[.comment]
            let noon = Timestamp.noon(ofDay: d.day[i]).milliseconds
            add(Int(d.article[i]), w, noon)
            if w != 0, noon <= nowMs { reach[Int(d.article[i])] += w }
        }
        var r = [Double](repeating: 0, count: count)
        var b = [Double](repeating: 0, count: count)
        var siteSum = [Double](repeating: 0, count: snapshot.sites.count)
        var siteCount = [Double](repeating: 0, count: snapshot.sites.count)
        for a in 0..<count {
            let h = halfLife[Int(articles.site[a])]
            r[a] = RecencyDecay.ratePerDay(decayedSum: recent[a], halfLife: h)
            b[a] = RecencyDecay.ratePerDay(decayedSum: baseline[a], halfLife: h * c.baselineFactor)
            if total[a] > 0 {
                siteSum[Int(articles.site[a])] += b[a]
                siteCount[Int(articles.site[a])] += 1
            }
        }
        let prior = (0..<snapshot.sites.count).map { siteCount[$0] > 0 ? siteSum[$0] / siteCount[$0] : 0 }
        var score = [Double](repeating: 0, count: count)
        for a in 0..<count {
            let mu = c.priorStrength * prior[Int(articles.site[a])]
            switch c.measure {
            case .growth:
                score[a] = total[a] > 0 && r[a] + mu > 0 ? (r[a] + mu) / (b[a] + mu) : 0
            case .decayedCount:
                score[a] = recent[a]
            case .hackerNewsGravity:
                let born = articles.publishedAt[a] ?? (firstSeen[a] == .max ? nowMs : firstSeen[a])
                score[a] = total[a] > 0 ? Self.gravityRate(total[a] - 1, born: born, now: nowMs, gravity: c.gravity) : 0
            }
        }
        self.score = score
        recentRate = r
        baselineRate = b
        sitePrior = (0..<count).map { prior[Int(articles.site[$0])] }
        self.total = total
        self.firstSeen = firstSeen
        self.reach = reach
    }

    /// `engagement` / (hours from `born` to `now` + 2)^`gravity`: Hacker News gravity (with engagement − 1, γ 1.8)
    /// and the freshness blend's lifetime rate (``MixConfiguration/hotGravity``). Times in ms.
    public static func gravityRate(_ engagement: Double, born: Int64, now: Int64, gravity: Double) -> Double {
        engagement / pow(max(0, Double(now - born) / 3_600_000) + 2, gravity)
    }
}
