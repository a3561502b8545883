#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A built model: neighbours, trending scores, reader affinities and the catalogue, ready to answer requests.
///
/// A class, not a struct: it is immutable, and a struct of some forty arrays cost forty retains and releases
/// every time a request copied it (4 % of the per-article widget job).
///
/// Built once per batch (``init(snapshot:configuration:now:)``) or loaded from a store; answering a request
/// recomputes nothing of it.
public final class RecommendationModel: Sendable {
    public let sites: [Site]
    public let articles: Snapshot.Articles
    public let tags: [String]
    public let readers: [String]
    public let neighbours: NeighbourIndex
    /// "Read in the same visit": neighbours over session baskets (``ModelConfiguration/sessionCooccurrence``);
    /// rows are empty where it was not built.
    public let sessionNeighbours: NeighbourIndex
    public let trending: TrendingScores
    public let affinity: ReaderAffinity
    public let tagSimilarity: TagSimilarity
    /// Per site: the articles with engagement in the trending window (``trendingFloor``) by trending score (best
    /// first, ties by index), and all articles by publish time (newest first).
    public let trendingOrder: [[Int32]]
    public let newestOrder: [[Int32]]
    /// How hot each article is now, the freshness blend's measure (``MixConfiguration/hotGravity``).
    public let hotness: [Double]
    /// Per site: articles by hotness (best first, ties by index), the candidates of the freshness blend.
    public let hotOrder: [[Int32]]
    /// The largest hotness per site (the freshness blend's scale).
    public let hottest: [Double]
    /// Per site, how alive it is now, 0–1: twice its recent engagement rate over its usual (baseline) rate, at
    /// most 1, so a site running at half its usual pace or more counts as fully alive. The freshness blend
    /// trusts "what is hot" in proportion: an archive nobody reads lately has no hot list (the Stack Exchange
    /// sites whose activity ended years before the data's last event).
    public let activity: [Double]
    /// Per site, its engagement now (Σ recent rate of its articles), what its share of a box's slots follows.
    public let siteEngagement: [Double]
    /// Per site, the freshness blend's weight for reader requests (``SiteTuning/freshness``).
    public let readerFreshness: [Double]
    /// Per site, what its boxes use: the calibration's choice, else the configuration's (``SiteTuning``).
    public let tuning: [SiteTuning]
    /// What the build's calibration chose, `nil` where none ran, and its entry for each site (by slug; `nil` for a
    /// site it did not see).
    public let calibration: Calibration?
    public let calibrated: [SiteCalibration?]
    /// Per site, reader-specific hotness ρ (``SiteTuning/personalHotness``), and whether any site has ρ > 0.
    public let personalHotness: [Double]
    let readerHotness: Bool
    /// Per site, tag diversity in trending boxes, in boxes for a reader, and in boxes under an article (the
    /// configuration's, ``MixConfiguration/tagDiversity``).
    let trendingDiversity: [Bool]
    let readerDiversity: [Bool]
    let seedDiversity: [Bool]
    /// Per site, the least recent engagement rate (weighted events a day) at which an article counts as trending:
    /// one event of weight 1 decayed over ``MixConfiguration/trendingWindowHalfLives`` of the site's half-lives,
    /// 2^−w · ln 2 / h(days). Computed once: it depends on the configuration alone.
    public let trendingFloor: [Double]
    /// The store's row ids of the articles and readers (see ``Snapshot/articleKeys``).
    public let articleKeys: [Int64]
    public let readerKeys: [Int64]
    /// Per reader, indices into `affinity` of their strongest affinities (at most `mix.maxHistory`,
    /// strongest first, ties by article index): `strongestOffsets[u]..<strongestOffsets[u + 1]`.
    public let strongestOffsets: [Int]
    public let strongest: [Int32]
    let scratch: ScratchPool
    /// The `now` the model was built for.
    public let builtAt: Timestamp
    public let configuration: ModelConfiguration

    /// Learns every part from a snapshot (``LearnedModel/init(snapshot:configuration:now:)``) and assembles the
    /// model.
    /// - Complexity: dominated by the co-occurrence step (see ``NeighbourIndex``), on all cores.
    public convenience init(snapshot: Snapshot, configuration: ModelConfiguration, now: Timestamp) {
        self.init(
            catalogue: snapshot.catalogue,
            learned: LearnedModel(snapshot: snapshot, configuration: configuration, now: now), builtAt: now,
            configuration: configuration)
    }

    /// What was learned, as a store keeps it.
    public var learned: LearnedModel {
        LearnedModel(
            readers: readers, readerKeys: readerKeys, neighbours: neighbours, sessionNeighbours: sessionNeighbours,
            trending: trending, affinity: affinity, calibration: calibration)
    }

    /// The catalogue the model is aligned to.
    public var catalogue: Catalogue {
        Catalogue(sites: sites, articles: articles, tags: tags, articleKeys: articleKeys)
    }

    /// A copy of `base` with new trending scores and the site orders derived from them (live engagement).
    init(
        copying base: RecommendationModel, trending: TrendingScores, hotness: [Double], orders: [SiteOrders],
        tuning: [SiteTuning]? = nil, articles: Snapshot.Articles? = nil
    ) {
        let tuning = tuning ?? base.tuning
        sites = base.sites
        self.articles = articles ?? base.articles
        tags = base.tags
        readers = base.readers
        neighbours = base.neighbours
        sessionNeighbours = base.sessionNeighbours
        self.trending = trending
        affinity = base.affinity
        tagSimilarity = base.tagSimilarity
        trendingOrder = orders.map(\.trending)
        newestOrder = base.newestOrder
        self.hotness = hotness
        hotOrder = orders.map(\.hot)
        hottest = orders.map(\.hottest)
        activity = orders.map(\.activity)
        siteEngagement = orders.map(\.recent)
        readerFreshness = tuning.map(\.freshness)
        self.tuning = tuning
        calibration = base.calibration
        calibrated = base.calibrated
        personalHotness = tuning.map(\.personalHotness)
        readerHotness = tuning.contains { $0.personalHotness > 0 }
        trendingDiversity = tuning.map(\.trendingDiversity)
        readerDiversity = tuning.map(\.readerDiversity)
        seedDiversity = base.seedDiversity
        trendingFloor = base.trendingFloor
        articleKeys = base.articleKeys
        readerKeys = base.readerKeys
        strongestOffsets = base.strongestOffsets
        strongest = base.strongest
        scratch = ScratchPool(size: base.articles.count)
        builtAt = base.builtAt
        configuration = base.configuration
    }

    /// The same model with each site's settings replaced by `tuning`'s (freshness, hot counts, reader-specific
    /// hotness, tag diversity; hotness and the hot orders are derived again where the hot counts changed). The
    /// trending scores stay as they were built, whatever `tuning`'s measure: a calibration compares settings on
    /// one model this way.
    public func retuned(_ tuning: [SiteTuning]) -> RecommendationModel {
        precondition(tuning.count == sites.count, "one tuning per site")
        var hotness = self.hotness
        var orders = (0..<sites.count).map {
            SiteOrders(
                trending: trendingOrder[$0], hot: hotOrder[$0], hottest: hottest[$0], activity: activity[$0],
                recent: siteEngagement[$0])
        }
        let changed = (0..<sites.count).map { tuning[$0].hotCounts != self.tuning[$0].hotCounts }
        if changed.contains(true) {
            var bySite = [[Int32]](repeating: [], count: sites.count)
            for a in 0..<articles.count where changed[Int(articles.site[a])] {
                hotness[a] = Self.hotness(
                    of: a, trending: trending, articles: articles, now: builtAt,
                    gravity: configuration.mix.hotGravity, counts: tuning[Int(articles.site[a])].hotCounts)
                bySite[Int(articles.site[a])].append(Int32(a))
            }
            for s in 0..<sites.count where changed[s] {
                orders[s] = SiteOrders(
                    articles: bySite[s], trending: trending, hotness: hotness, floor: trendingFloor[s])
            }
        }
        return RecommendationModel(copying: self, trending: trending, hotness: hotness, orders: orders, tuning: tuning)
    }

    /// The same model with trending scores of another measure (`trending` must differ from this model's only in
    /// `score`, as ``TrendingScores/everyMeasure(snapshot:weights:recency:configuration:now:)`` gives them): the
    /// trending orders are sorted again, everything else is shared. A calibration compares the measures this way.
    public func replacingTrendingScores(_ trending: TrendingScores, measure: TrendingMeasure) -> RecommendationModel {
        precondition(trending.score.count == articles.count, "one score per article")
        let orders = (0..<sites.count).map { s in
            var order = SiteOrders(
                trending: trendingOrder[s], hot: hotOrder[s], hottest: hottest[s], activity: activity[s],
                recent: siteEngagement[s])
            order.trending = SiteOrders.trendingOrder(trendingOrder[s], trending: trending)
            return order
        }
        return RecommendationModel(
            copying: self, trending: trending, hotness: hotness, orders: orders,
            tuning: tuning.map {
                var t = $0
                t.trendingMeasure = measure
                return t
            })
    }

    /// Assembles a model from what a build learned (computed or loaded from a store) and the catalogue it is
    /// aligned to, deriving the serving caches.
    public init(catalogue: Catalogue, learned: LearnedModel, builtAt: Timestamp, configuration: ModelConfiguration) {
        let articles = catalogue.articles
        let sites = catalogue.sites
        let trending = learned.trending
        let affinity = learned.affinity
        articleKeys = catalogue.articleKeys
        readerKeys = learned.readerKeys
        self.sites = sites
        self.articles = articles
        tags = catalogue.tags
        readers = learned.readers
        neighbours = learned.neighbours
        sessionNeighbours = learned.sessionNeighbours
        self.trending = trending
        self.affinity = affinity
        self.builtAt = builtAt
        self.configuration = configuration
        tagSimilarity = TagSimilarity(articles: articles, tagCount: catalogue.tags.count)
        scratch = ScratchPool(size: articles.count)
        var strongestOffsets = [0]
        var strongest: [Int32] = []
        let cap = max(0, configuration.mix.maxHistory)
        for u in 0..<affinity.readerCount {
            var row = affinity.row(u).map {
                Ranked(score: affinity.weights[$0], article: affinity.articles[$0], origin: Int32($0))
            }
            let keep = topK(&row, cap)
            strongest.append(contentsOf: row.prefix(keep).map(\.origin))
            strongestOffsets.append(strongest.count)
        }
        self.strongestOffsets = strongestOffsets
        self.strongest = strongest
        var bySite = [[Int32]](repeating: [], count: sites.count)
        for a in 0..<articles.count { bySite[Int(articles.site[a])].append(Int32(a)) }
        let window = exp2(-max(0, configuration.mix.trendingWindowHalfLives))
        let floor = sites.map { site in
            window * M_LN2 / (configuration.recency.halfLife(for: site).inDays)
        }
        trendingFloor = floor
        let tuning =
            learned.calibration?.tuning(for: sites, configuration: configuration)
            ?? sites.map { SiteTuning(configuration: configuration, site: $0) }
        self.tuning = tuning
        calibration = learned.calibration
        calibrated = learned.calibration?.entries(for: sites) ?? sites.map { _ in nil }
        personalHotness = tuning.map(\.personalHotness)
        readerHotness = tuning.contains { $0.personalHotness > 0 }
        trendingDiversity = tuning.map(\.trendingDiversity)
        readerDiversity = tuning.map(\.readerDiversity)
        seedDiversity = sites.map { _ in configuration.mix.tagDiversity }
        let hotness = (0..<articles.count).map {
            Self.hotness(
                of: $0, trending: trending, articles: articles, now: builtAt, gravity: configuration.mix.hotGravity,
                counts: tuning[Int(articles.site[$0])].hotCounts)
        }
        self.hotness = hotness
        let orders = bySite.enumerated().map {
            SiteOrders(articles: $0.element, trending: trending, hotness: hotness, floor: floor[$0.offset])
        }
        trendingOrder = orders.map(\.trending)
        hotOrder = orders.map(\.hot)
        hottest = orders.map(\.hottest)
        activity = orders.map(\.activity)
        siteEngagement = orders.map(\.recent)
        readerFreshness = tuning.map(\.freshness)
        newestOrder = bySite.map { list in
            list.sorted {
                let p0 = articles.publishedAt[Int($0)] ?? .min
                let p1 = articles.publishedAt[Int($1)] ?? .min
                return p0 != p1 ? p0 > p1 : $0 < $1
            }
        }
    }

    /// Article `a`'s hotness (``MixConfiguration/hotGravity``): its lifetime rate of readers reached
    /// (``TrendingScores/reach``), of engagement, or of 1 for any engagement (age alone; ``HotCount``), or with
    /// no gravity its site's decayed engagement rate.
    static func hotness(
        of a: Int, trending: TrendingScores, articles: Snapshot.Articles, now: Timestamp, gravity: Double?,
        counts: HotCount
    ) -> Double {
        let born = articles.publishedAt[a] ?? trending.firstSeen[a]
        if counts == .age {
            guard trending.total[a] > 0, born != .max else { return 0 }
            return TrendingScores.gravityRate(1, born: born, now: now.milliseconds, gravity: gravity ?? 1)
        }
        guard let gravity else { return trending.recentRate[a] }
        let count = counts == .readers ? trending.reach[a] : trending.total[a]
        guard count > 0, born != .max else { return 0 }
        return TrendingScores.gravityRate(count, born: born, now: now.milliseconds, gravity: gravity)
    }
}
