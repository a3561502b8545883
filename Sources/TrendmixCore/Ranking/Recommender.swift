/// What to recommend: a widget's box on a host site, under a seed article, for a reader.
public struct RecommendationRequest: Sendable, Hashable {
    /// The site showing the box; its own articles are left out unless the mix allows them.
    public var host: Int32?
    /// The article the box is under ("readers of this also read").
    public var seed: Int32?
    /// The reader, for personalisation and to leave out what they already read.
    public var reader: Int32?
    public var k: Int
    /// Articles not to show (another box on the same page already shows them).
    public var exclude: Set<Int32>
    /// Only these sites, when set.
    public var sites: Set<Int32>?
    /// Only articles with at least one of these tags, when set.
    public var tags: Set<Int32>?
    /// Publish-time window (milliseconds), each end optional.
    public var publishedAfter: Int64?
    public var publishedBefore: Int64?
    public var now: Timestamp

    public init(
        host: Int32? = nil, seed: Int32? = nil, reader: Int32? = nil, k: Int = 8, exclude: Set<Int32> = [],
        sites: Set<Int32>? = nil, tags: Set<Int32>? = nil, publishedAfter: Int64? = nil, publishedBefore: Int64? = nil,
        now: Timestamp
    ) {
        self.host = host
        self.seed = seed
        self.reader = reader
        self.k = k
        self.exclude = exclude
        self.sites = sites
        self.tags = tags
        self.publishedAfter = publishedAfter
        self.publishedBefore = publishedBefore
        self.now = now
    }
}

/// Why an article was recommended.
public struct Explanation: Sendable, Hashable, Codable, BitwiseCopyable {
    public enum Source: String, Sendable, Hashable, Codable, BitwiseCopyable {
        /// Readers of the seed also read it.
        case cooccurrence
        /// It was read in the same visits (sessions) as the seed.
        case session
        /// It shares tags with the seed.
        case tags
        /// The reader's history points to it.
        case personalized
        /// It is trending on its site.
        case trending
        /// Nothing else was left: it is among the newest.
        case newest
    }

    public var source: Source
    /// The seed (or, for personalised items, the reader's article that contributed most).
    public var seed: Int32?
    /// Baskets holding both the seed and this article.
    public var cooccurrenceCount: Int32?
    /// The co-occurrence similarity.
    public var similarity: Double?
    /// Sessions holding both the seed and this article (the session index's count).
    public var sessionCount: Int32?
    /// The content similarity with the seed; ``RecommendationModel/sharedTags(of:)`` names the tags they share.
    public var tagSimilarity: Double?
    /// Trending growth and rates per day.
    public var growth: Double?
    public var recentRate: Double?
    public var baselineRate: Double?
    /// The freshness blend's parts when it ranked the item (``MixConfiguration/freshness``).
    public var blend: Blend?
    /// The item is from the host site itself: the other sites had too little to fill the box
    /// (``MixConfiguration/fillFromHostSite``).
    public var fromHostSite = false

    public init(
        source: Source, seed: Int32? = nil, cooccurrenceCount: Int32? = nil, similarity: Double? = nil,
        tagSimilarity: Double? = nil, growth: Double? = nil, recentRate: Double? = nil,
        baselineRate: Double? = nil, sessionCount: Int32? = nil
    ) {
        self.source = source
        self.sessionCount = sessionCount
        self.seed = seed
        self.cooccurrenceCount = cooccurrenceCount
        self.similarity = similarity
        self.tagSimilarity = tagSimilarity
        self.growth = growth
        self.recentRate = recentRate
        self.baselineRate = baselineRate
    }
}

extension Explanation {
    /// The freshness blend's parts: the evidence (0–1), the hotness over the site's hottest (0–1) and the weight f
    /// of hotness; the blend is (1 − f) · evidence + f · hotness. Single precision: they are shown to three
    /// decimals, and every candidate of every box carries an ``Explanation`` (three optional doubles made it a
    /// third larger and the recommend path measurably slower).
    public struct Blend: Sendable, Hashable, Codable, BitwiseCopyable {
        public var evidence: Float
        public var hotness: Float
        public var weight: Float

        public init(evidence: Double, hotness: Double, weight: Double) {
            self.evidence = Float(evidence)
            self.hotness = Float(hotness)
            self.weight = Float(weight)
        }
    }
}

/// One recommended article with its score and reason.
public struct ScoredArticle: Sendable, Hashable, BitwiseCopyable {
    public var article: Int32
    public var score: Double
    public var reason: Explanation

    public init(article: Int32, score: Double, reason: Explanation) {
        self.article = article
        self.score = score
        self.reason = reason
    }
}

/// Every ranking strategy and every baseline: a request in, a ranked list out. Evaluation ranks every system
/// through this protocol.
public protocol Recommender: Sendable {
    func recommend(_ request: RecommendationRequest) -> [ScoredArticle]
}
