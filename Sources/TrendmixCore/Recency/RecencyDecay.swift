/// Exponential recency decay: an event's weight halves every `halfLife`.
///
/// weight(age) = 2^(-age / halfLife), and 1 for events in the future (age < 0), as SAR's
/// `exponential_decay` caps it. A news site wants a half-life of a day or two, a travel guide weeks.
public struct RecencyDecay: Sendable, Hashable, Codable {
    public var halfLife: Duration

    public init(halfLife: Duration) {
        precondition(halfLife > .zero, "a half-life must be positive")
        self.halfLife = halfLife
    }

    /// The half-life in milliseconds.
    public var halfLifeMilliseconds: Double { halfLife.inMilliseconds }

    /// The factor for an event at `time` seen from `now`: 1 at `now` (or later), 0.5 one half-life before.
    @inline(__always)
    public func factor(at time: Int64, now: Int64) -> Double {
        let age = Double(now - time)
        if age <= 0 { return 1 }
        return exp2(-age / halfLifeMilliseconds)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
