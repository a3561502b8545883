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
