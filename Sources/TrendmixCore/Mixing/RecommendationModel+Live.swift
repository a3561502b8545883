#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension TrendingScores {
    /// Adds engagement that happened at the scores' `now` (events posted after the build): the recent and
    /// baseline rates grow by the weight's share per day, the all-time total by the weight, the reach by
    /// `reach` (the weight when `nil`, as for engagement that names no reader), and the score follows.
    /// - Parameters:
    ///   - halfLife: the article's site half-life in milliseconds.
    ///   - now: when it happened (the scores' `now`).
    ///   - publishedAt: the article's publish time (ms), if known: Hacker News gravity's age starts there,
    ///     else at the first engagement.
    ///   - measure: the article's site's measure (by default the configuration's).
    public mutating func add(
        article a: Int, weight w: Double, halfLife: Double, configuration c: TrendingConfiguration, now: Timestamp,
        publishedAt: Int64? = nil, reach r: Double? = nil, measure: TrendingMeasure? = nil
    ) {
        guard w != 0, halfLife > 0, a >= 0, a < score.count else { return }
        total[a] += w
        reach[a] += r ?? w
        firstSeen[a] = min(firstSeen[a], now.milliseconds)
        recentRate[a] += RecencyDecay.ratePerDay(decayedSum: w, halfLife: halfLife)
        baselineRate[a] += RecencyDecay.ratePerDay(decayedSum: w, halfLife: halfLife * c.baselineFactor)
        let mu = c.priorStrength * sitePrior[a]
        switch measure ?? c.measure {
        case .growth:
            let r = recentRate[a]
            score[a] = r + mu > 0 ? (r + mu) / (baselineRate[a] + mu) : 0
        case .decayedCount:
            score[a] += w
        case .hackerNewsGravity:
            score[a] = Self.gravityRate(
                total[a] - 1, born: publishedAt ?? firstSeen[a], now: now.milliseconds, gravity: c.gravity)
        case .velocity:
            score[a] += w
        case .newest:
            let born = publishedAt ?? firstSeen[a]
            score[a] = RecencyDecay.newness(
                ageDays: Double(now.milliseconds - born) / Double(Timestamp.millisecondsPerDay))
        }
    }
}

extension RecommendationModel {
    /// The same model with fresh engagement added to the trending scores (and the site orders that depend on
    /// them re-sorted for the sites touched): posted events show in trending boxes without a rebuild. Everything
    /// else (neighbours, affinities) is shared with this model and waits for the next build.
    /// - Parameter engagement: (article, weight as the model's event weights give it, what it adds to the
    ///   article's reach: ``reach(reader:article:weight:)``).
    /// - Complexity: O(n log n) per touched site of n articles.
    public func addingEngagement(
        _ engagement: [(article: Int32, weight: Double, reach: Double)]
    )
        -> RecommendationModel
    {
        var trending = self.trending
        var touched = Set<Int32>()
        for (a, w, r) in engagement where a >= 0 && Int(a) < articles.count && w != 0 {
            let site = articles.site[Int(a)]
            trending.add(
                article: Int(a), weight: w,
                halfLife: configuration.recency.halfLife(for: sites[Int(site)]).inMilliseconds,
                configuration: configuration.trending, now: builtAt, publishedAt: articles.publishedAt[Int(a)],
                reach: r, measure: tuning[Int(site)].trendingMeasure)
            touched.insert(site)
        }
        guard !touched.isEmpty else { return self }
        var hotness = self.hotness
        for (a, _, _) in engagement where a >= 0 && Int(a) < articles.count {
            hotness[Int(a)] = Self.hotness(
                of: Int(a), trending: trending, articles: articles, now: builtAt, gravity: configuration.mix.hotGravity,
                counts: tuning[Int(articles.site[Int(a)])].hotCounts)
        }
        var orders = (0..<sites.count).map {
            SiteOrders(
                trending: trendingOrder[$0], hot: hotOrder[$0], hottest: hottest[$0], activity: activity[$0],
                recent: siteEngagement[$0])
        }
        for s in touched {
            let i = Int(s)
            orders[i] = SiteOrders(
                articles: hotOrder[i], trending: trending, hotness: hotness, floor: trendingFloor[i],
                sumsInHotOrder: true)
        }
        return RecommendationModel(copying: self, trending: trending, hotness: hotness, orders: orders)
    }

    /// The same model with articles' display and expiry changed (a publisher's `POST /v1/articles`): title, URL,
    /// card and expiry take effect at once, so an article taken down (expired) leaves every box now. What ranks
    /// (publish time, tags) waits for the next build, as do articles the model does not know.
    public func updatingArticles(
        _ updates: [(article: Int32, title: String?, url: String?, expiresAt: Int64?, card: ArticleCard?)]
    ) -> RecommendationModel {
        guard !updates.isEmpty else { return self }
        var articles = self.articles
        for u in updates where u.article >= 0 && Int(u.article) < articles.count {
            let a = Int(u.article)
            articles.title[a] = u.title
            articles.url[a] = u.url
            articles.expiresAt[a] = u.expiresAt
            articles.card[a] = u.card?.isEmpty == true ? nil : u.card
        }
        let orders = (0..<sites.count).map {
            SiteOrders(
                trending: trendingOrder[$0], hot: hotOrder[$0], hottest: hottest[$0], activity: activity[$0],
                recent: siteEngagement[$0])
        }
        return RecommendationModel(
            copying: self, trending: trending, hotness: hotness, orders: orders, articles: articles)
    }

    /// Engagement that names no reader (every event counts at its weight).
    public func addingEngagement(_ engagement: [(article: Int32, weight: Double)]) -> RecommendationModel {
        addingEngagement(engagement.map { (article: $0.article, weight: $0.weight, reach: $0.weight) })
    }

    /// What a posted event adds to its article's reach (``TrendingScores/reach``): 0 for a reader the model
    /// knows engaged with the article before the build, or for engagement of no positive weight; 1 for any other
    /// reader (`reader` -1: one the model does not know), so two posted events of one such reader count twice
    /// until the next build counts them once; the weight for engagement that names no reader (`nil`).
    public func reach(reader: Int32?, article: Int32, weight: Double) -> Double {
        guard let reader else { return weight }
        guard weight > 0 else { return 0 }
        if reader >= 0, Int(reader) < affinity.readerCount {
            let row = affinity.row(Int(reader))
            var lo = row.lowerBound
            var hi = row.upperBound
            while lo < hi {
                let mid = (lo + hi) / 2
                if affinity.articles[mid] < article { lo = mid + 1 } else { hi = mid }
            }
            if lo < row.upperBound, affinity.articles[lo] == article, affinity.weights[lo] > 0 { return 0 }
        }
        return 1
    }
}
