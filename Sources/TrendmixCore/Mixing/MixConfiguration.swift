/// How a box is filled.
public struct MixConfiguration: Sendable, Hashable, Codable {
    /// Items per box.
    public var k: Int = 8
    /// Whether the host site's own articles may appear ("our other sites": no, by default).
    public var includeHostSite = false
    /// Articles published longer ago than this are left out; `nil` keeps all.
    public var maxAge: Duration?
    /// Prefer items whose first tag is not in the box yet, before repeating a tag.
    public var tagDiversity = true
    /// Co-occurrence evidence at which related items weigh co-occurrence and tags equally: a seed seen in
    /// n baskets gets α = n / (n + this) of co-occurrence and 1 − α of tag similarity.
    public var evidenceHalfSaturation: Double = 5
    /// Tags on more than this share of the catalogue (and on more than 1,000 articles) are skipped by the
    /// content fallback: they say little and would make each query scan much of the catalogue.
    public var maxTagShare: Double = 0.05
    /// Candidates each stage offers before quotas are applied.
    public var candidatesPerStage = 50

    public init() {}
}

/// Everything the model is built with: one place for every knob, with its default.
public struct ModelConfiguration: Sendable, Hashable, Codable {
    public var cooccurrence = CooccurrenceConfiguration()
    public var recency = RecencyConfiguration()
    public var trending = TrendingConfiguration()
    /// Event weights for trending and reader affinity (co-occurrence has its own in `cooccurrence`).
    public var weights = EventWeights.default
    /// Half-life of the reader-affinity decay (SAR: 30 days); `nil` for none.
    public var affinityHalfLife: Duration? = .days(30)
    public var mix = MixConfiguration()

    public init() {}
}
