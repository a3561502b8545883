/// What to recommend: a widget's box on a host site, under a seed article, for a reader.
public struct RecommendationRequest: Sendable, Hashable {
    /// The site showing the box; its own articles are left out unless the mix allows them.
    public var host: Int32?
    /// The article the box is under ("readers of this also read").
    public var seed: Int32?
    /// The articles read before the seed in the same visit, oldest first (the seed is not among them): the
    /// related stage reads the last ``RecommendationModel/maximumVisit`` of them too
    /// (``MixConfiguration/visitDecay``), and the box leaves those out.
    public var visit: [Int32]
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
    /// The moment the box is shown, for expiry: an article that expired by then is left out. `nil`: `now`. A
    /// server passes its clock here while ranking at the model's `now`, so an article expiring after the build is
    /// gone from the box the moment it expires.
    public var visibleAt: Timestamp?

    public init(
        host: Int32? = nil, seed: Int32? = nil, visit: [Int32] = [], reader: Int32? = nil, k: Int = 8,
        exclude: Set<Int32> = [],
        sites: Set<Int32>? = nil, tags: Set<Int32>? = nil, publishedAfter: Int64? = nil, publishedBefore: Int64? = nil,
        now: Timestamp, visibleAt: Timestamp? = nil
    ) {
        self.host = host
        self.seed = seed
        self.visit = visit
        self.reader = reader
        self.k = k
        self.exclude = exclude
        self.sites = sites
        self.tags = tags
        self.publishedAfter = publishedAfter
        self.publishedBefore = publishedBefore
        self.now = now
        self.visibleAt = visibleAt
    }
}
