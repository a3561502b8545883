#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension TrendingScores {
    /// Adds engagement that happened at the scores' `now` (events posted after the build): the recent and
    /// baseline rates grow by the weight's share per day, the all-time total by the weight, and the score
    /// follows.
    /// - Parameters:
    ///   - halfLife: the article's site half-life in milliseconds.
    ///   - now: when it happened (the scores' `now`).
    ///   - publishedAt: the article's publish time (ms), if known: Hacker News gravity's age starts there,
    ///     else at the first engagement.
    public mutating func add(
        article a: Int, weight w: Double, halfLife: Double, configuration c: TrendingConfiguration, now: Timestamp,
        publishedAt: Int64? = nil
    ) {
        guard w != 0, halfLife > 0, a >= 0, a < score.count else { return }
        let day = 86_400_000.0
        total[a] += w
        firstSeen[a] = min(firstSeen[a], now.milliseconds)
        recentRate[a] += w * M_LN2 / halfLife * day
        baselineRate[a] += w * M_LN2 / (halfLife * c.baselineFactor) * day
        let mu = c.priorStrength * sitePrior[a]
        switch c.measure {
        case .growth:
            let r = recentRate[a]
            score[a] = r + mu > 0 ? (r + mu) / (baselineRate[a] + mu) : 0
        case .decayedCount:
            score[a] += w
        case .hackerNewsGravity:
            score[a] = Self.gravityRate(
                total[a] - 1, born: publishedAt ?? firstSeen[a], now: now.milliseconds, gravity: c.gravity)
        }
    }
}

extension RecommendationModel {
    /// The same model with fresh engagement added to the trending scores (and the site orders that depend on
    /// them re-sorted for the sites touched): posted events show in trending boxes without a rebuild. Everything
    /// else (neighbours, affinities) is shared with this model and waits for the next build.
    /// - Parameter engagement: (article, weight as the model's event weights give it).
    /// - Complexity: O(n log n) per touched site of n articles.
    public func addingEngagement(_ engagement: [(article: Int32, weight: Double)]) -> RecommendationModel {
        var trending = self.trending
        var touched = Set<Int32>()
        for (a, w) in engagement where a >= 0 && Int(a) < articles.count && w != 0 {
            let site = articles.site[Int(a)]
            trending.add(
                article: Int(a), weight: w,
                halfLife: configuration.recency.halfLife(for: sites[Int(site)]).inMilliseconds,
                configuration: configuration.trending, now: builtAt, publishedAt: articles.publishedAt[Int(a)])
            touched.insert(site)
        }
        guard !touched.isEmpty else { return self }
        var trendingOrder = self.trendingOrder
        var hotness = self.hotness
        for (a, _) in engagement where a >= 0 && Int(a) < articles.count {
            hotness[Int(a)] = Self.hotness(
                of: Int(a), trending: trending, articles: articles, now: builtAt,
                gravity: configuration.mix.hotGravity)
        }
        var hotOrder = self.hotOrder
        var hottest = self.hottest
        var activity = self.activity
        for s in touched {
            let i = Int(s)
            trendingOrder[i].sort {
                trending.score[Int($0)] != trending.score[Int($1)]
                    ? trending.score[Int($0)] > trending.score[Int($1)] : $0 < $1
            }
            hotOrder[i].sort {
                hotness[Int($0)] != hotness[Int($1)] ? hotness[Int($0)] > hotness[Int($1)] : $0 < $1
            }
            hottest[i] = hotOrder[i].first.map { hotness[Int($0)] } ?? 0
            let recent = hotOrder[i].reduce(0.0) { $0 + trending.recentRate[Int($1)] }
            let usual = hotOrder[i].reduce(0.0) { $0 + trending.baselineRate[Int($1)] }
            activity[i] = usual > 0 ? min(1, 2 * recent / usual) : 0
        }
        return RecommendationModel(
            copying: self, trending: trending, trendingOrder: trendingOrder, hotness: hotness, hotOrder: hotOrder,
            hottest: hottest, activity: activity)
    }
}
