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

    public init(
        reader: Int32? = nil, seed: Int32? = nil, site: Int32? = nil, group: Int32? = nil,
        relevance: [Int32: Double], now: Timestamp
    ) {
        self.reader = reader
        self.seed = seed
        self.site = site
        self.group = group
        self.relevance = relevance
        self.now = now
    }
}

/// A protocol's output: what the systems may learn from and what they are asked.
///
/// `train` keeps the full snapshot's article, reader and site indices (only events and daily rows are removed),
/// so a case's ids mean the same in both. No event the cases are judged on is in `train`.
public struct Split: Sendable {
    public var name: String
    public var description: String
    public var train: Snapshot
    public var cases: [EvaluationCase]
    /// The moment the models are built for.
    public var now: Timestamp
    /// Articles a system may recommend: published no later than `now` (or, without a publish time, seen in
    /// training). The full-catalogue metrics rank against all of them.
    public var live: [Bool]
    /// Articles each case's reader already read in training (systems leave them out).
    public var removeSeen: Bool

    public var liveCount: Int { live.lazy.filter { $0 }.count }
}

/// Why a split could not be made.
public enum SplitError: Error, Equatable, Sendable, CustomStringConvertible {
    case noEvents
    case cutOutsideData(String)
    case noCases(String)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .noEvents: "the store has no events to split"
        case .cutOutsideData(let why): "the cut leaves nothing on one side: \(why)"
        case .noCases(let protocolName): "the \(protocolName) protocol found no case to evaluate"
        case .invalidParameter(let why): why
        }
    }
}
