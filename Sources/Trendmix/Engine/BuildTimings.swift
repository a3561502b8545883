import Foundation
import TrendmixCore
import TrendmixStore

/// Wall-clock durations of a build's steps.
public struct BuildTimings: Sendable, Hashable {
    /// Reading the events from the store into a snapshot.
    public var snapshot: Duration = .zero
    /// Computing the model from the snapshot (co-occurrence, neighbours, trending, affinities).
    public var model: Duration = .zero
    /// Of `model`, the per-site calibration (``Calibration``): its backtests.
    public var calibration: Duration = .zero
    public var events = 0
}
