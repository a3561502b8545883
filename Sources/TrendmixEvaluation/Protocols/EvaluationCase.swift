public import TrendmixCore

/// One thing to rank and what should have come first.
public struct EvaluationCase: Sendable, Hashable {
    /// The reader to recommend for (personalised protocols).
    public var reader: Int32?
    /// The article the box is under (session protocol).
    public var seed: Int32?
    /// Only this site's articles are ranked (trending prediction).
    public var site: Int32?
    /// The site the case belongs to, for per-site figures and the cross-site share: the seed's, the ranked
    /// site, or the site of most of the reader's relevant articles.
    public var group: Int32?
    /// Relevant article → grade (> 0): the engagement weight the held-out events give it.
    public var relevance: [Int32: Double]
    /// When the case is asked (the model's `now`).
    public var now: Timestamp
    /// Session protocol: the articles of the visit so far, in order, the seed last (an article engaged several
    /// times in a row counts once), and the time of the seed's event; session kNN reads them, the engine reads
    /// only the seed.
    public var visit: [Int32]
    public var visitTime: Timestamp?

    public init(
        reader: Int32? = nil, seed: Int32? = nil, site: Int32? = nil, group: Int32? = nil,
        relevance: [Int32: Double], now: Timestamp, visit: [Int32] = [], visitTime: Timestamp? = nil
    ) {
        self.reader = reader
        self.seed = seed
        self.site = site
        self.group = group
        self.relevance = relevance
        self.now = now
        self.visit = visit
        self.visitTime = visitTime
    }
}
