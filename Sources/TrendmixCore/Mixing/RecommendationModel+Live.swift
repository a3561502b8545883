#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension TrendingScores {
    /// Adds engagement that happened at the scores' `now` (events posted after the build): the recent and
    /// baseline rates grow by the weight's share per day, and the score follows for the growth and
    /// decayed-count measures. Hacker News gravity needs the all-time engagement, which stored scores do not
    /// keep: its scores wait for the next build.
    /// - Parameter halfLife: the article's site half-life in milliseconds.
    public mutating func add(
        article a: Int, weight w: Double, halfLife: Double, configuration c: TrendingConfiguration
    ) {
        guard w != 0, halfLife > 0, a >= 0, a < score.count else { return }
        let day = 86_400_000.0
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
            break
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
                configuration: configuration.trending)
            touched.insert(site)
        }
        guard !touched.isEmpty else { return self }
        var trendingOrder = self.trendingOrder
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
                trending.recentRate[Int($0)] != trending.recentRate[Int($1)]
                    ? trending.recentRate[Int($0)] > trending.recentRate[Int($1)] : $0 < $1
            }
            hottest[i] = hotOrder[i].first.map { trending.recentRate[Int($0)] } ?? 0
            let recent = hotOrder[i].reduce(0.0) { $0 + trending.recentRate[Int($1)] }
            let usual = hotOrder[i].reduce(0.0) { $0 + trending.baselineRate[Int($1)] }
            activity[i] = usual > 0 ? min(1, 2 * recent / usual) : 0
        }
        return RecommendationModel(
            copying: self, trending: trending, trendingOrder: trendingOrder, hotOrder: hotOrder, hottest: hottest,
            activity: activity)
    }
}
