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
    /// Per site, the freshness blend's weight for reader requests (``MixConfiguration/freshness(for:)``).
    public let readerFreshness: [Double]
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

    /// Builds every part from a snapshot.
    /// - Complexity: dominated by the co-occurrence step (see ``NeighbourIndex``), on all cores.
    public convenience init(snapshot: Snapshot, configuration: ModelConfiguration, now: Timestamp) {
        let neighbours = NeighbourIndex(snapshot: snapshot, configuration: configuration.cooccurrence)
        let sessionNeighbours =
            configuration.sessionCooccurrence.flatMap { c in
                snapshot.events.session.contains { $0 >= 0 }
                    ? NeighbourIndex(snapshot: snapshot, configuration: c) : nil
            }
        let trending = TrendingScores(
            snapshot: snapshot, weights: configuration.weights, recency: configuration.recency,
            configuration: configuration.trending, now: now)
        let affinity = ReaderAffinity(
            snapshot: snapshot, weights: configuration.weights,
            decay: configuration.affinityHalfLife.map { RecencyDecay(halfLife: $0) }, now: now)
        self.init(
            sites: snapshot.sites, articles: snapshot.articles, tags: snapshot.tags, readers: snapshot.readers,
            neighbours: neighbours, sessionNeighbours: sessionNeighbours, trending: trending, affinity: affinity,
            articleKeys: snapshot.articleKeys, readerKeys: snapshot.readerKeys, builtAt: now,
            configuration: configuration)
    }

    /// A copy of `base` with new trending scores and the orders derived from them (live engagement).
    init(
        copying base: RecommendationModel, trending: TrendingScores, trendingOrder: [[Int32]], hotness: [Double],
        hotOrder: [[Int32]], hottest: [Double], activity: [Double]
    ) {
        sites = base.sites
        articles = base.articles
        tags = base.tags
        readers = base.readers
        neighbours = base.neighbours
        sessionNeighbours = base.sessionNeighbours
        self.trending = trending
        affinity = base.affinity
        tagSimilarity = base.tagSimilarity
        self.trendingOrder = trendingOrder
        newestOrder = base.newestOrder
        self.hotness = hotness
        self.hotOrder = hotOrder
        self.hottest = hottest
        self.activity = activity
        readerFreshness = base.readerFreshness
        trendingFloor = base.trendingFloor
        articleKeys = base.articleKeys
        readerKeys = base.readerKeys
        strongestOffsets = base.strongestOffsets
        strongest = base.strongest
        scratch = ScratchPool(size: base.articles.count)
        builtAt = base.builtAt
        configuration = base.configuration
    }

    /// Assembles a model from stored parts (`sessionNeighbours` `nil`: none).
    public init(
        sites: [Site], articles: Snapshot.Articles, tags: [String], readers: [String], neighbours: NeighbourIndex,
        sessionNeighbours: NeighbourIndex? = nil, trending: TrendingScores, affinity: ReaderAffinity,
        articleKeys: [Int64] = [], readerKeys: [Int64] = [],
        builtAt: Timestamp, configuration: ModelConfiguration
    ) {
        self.articleKeys = articleKeys
        self.readerKeys = readerKeys
        self.sites = sites
        self.articles = articles
        self.tags = tags
        self.readers = readers
        self.neighbours = neighbours
        self.sessionNeighbours = sessionNeighbours ?? .empty(articleCount: articles.count)
        self.trending = trending
        self.affinity = affinity
        self.builtAt = builtAt
        self.configuration = configuration
        tagSimilarity = TagSimilarity(articles: articles, tagCount: tags.count)
        scratch = ScratchPool(size: articles.count)
        var strongestOffsets = [0]
        var strongest: [Int32] = []
        let cap = max(0, configuration.mix.maxHistory)
        for u in 0..<affinity.readerCount {
            var row = affinity.row(u).map { (affinity.weights[$0], affinity.articles[$0], Int32($0)) }
            let keep = topK(&row, cap)
            strongest.append(contentsOf: row.prefix(keep).map(\.2))
            strongestOffsets.append(strongest.count)
        }
        self.strongestOffsets = strongestOffsets
        self.strongest = strongest
        var bySite = [[Int32]](repeating: [], count: sites.count)
        for a in 0..<articles.count { bySite[Int(articles.site[a])].append(Int32(a)) }
        let window = exp2(-max(0, configuration.mix.trendingWindowHalfLives))
        let floor = sites.map { site in
            window * M_LN2 / (configuration.recency.halfLife(for: site).inMilliseconds / 86_400_000)
        }
        trendingFloor = floor
        trendingOrder = bySite.enumerated().map { site, list in
            list.filter { trending.recentRate[Int($0)] >= floor[site] }.sorted {
                trending.score[Int($0)] != trending.score[Int($1)]
                    ? trending.score[Int($0)] > trending.score[Int($1)] : $0 < $1
            }
        }
        let hotness = (0..<articles.count).map {
            Self.hotness(of: $0, trending: trending, articles: articles, now: builtAt, mix: configuration.mix)
        }
        self.hotness = hotness
        hotOrder = bySite.map { list in
            list.sorted { hotness[Int($0)] != hotness[Int($1)] ? hotness[Int($0)] > hotness[Int($1)] : $0 < $1 }
        }
        hottest = hotOrder.map { order in order.first.map { hotness[Int($0)] } ?? 0 }
        activity = bySite.map { list in
            let recent = list.reduce(0.0) { $0 + trending.recentRate[Int($1)] }
            let usual = list.reduce(0.0) { $0 + trending.baselineRate[Int($1)] }
            return usual > 0 ? min(1, 2 * recent / usual) : 0
        }
        readerFreshness = sites.map { configuration.mix.freshness(for: $0) }
        newestOrder = bySite.map { list in
            list.sorted {
                let p0 = articles.publishedAt[Int($0)] ?? .min
                let p1 = articles.publishedAt[Int($1)] ?? .min
                return p0 != p1 ? p0 > p1 : $0 < $1
            }
        }
    }

    /// Article `a`'s hotness (``MixConfiguration/hotGravity``): its lifetime rate of readers reached
    /// (``TrendingScores/reach``) or of engagement (``MixConfiguration/hotCounts``), or with no gravity its
    /// site's decayed engagement rate.
    static func hotness(
        of a: Int, trending: TrendingScores, articles: Snapshot.Articles, now: Timestamp, mix: MixConfiguration
    ) -> Double {
        guard let gravity = mix.hotGravity else { return trending.recentRate[a] }
        let born = articles.publishedAt[a] ?? trending.firstSeen[a]
        let count = mix.hotCounts == .readers ? trending.reach[a] : trending.total[a]
        guard count > 0, born != .max else { return 0 }
        return TrendingScores.gravityRate(count, born: born, now: now.milliseconds, gravity: gravity)
    }
}
