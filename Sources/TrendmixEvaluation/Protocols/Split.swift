public import TrendmixCore

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
