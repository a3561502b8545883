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
        return Self.factor(age: age, halfLife: halfLifeMilliseconds)
    }

    /// 2^(−age / halfLife), both in milliseconds: the decay formula, written once. What an event from the
    /// future (age < 0) counts is the caller's policy: ``factor(at:now:)`` caps it at 1 (as SAR does), trending
    /// leaves such events out (``TrendingScores``).
    @inline(__always)
    public static func factor(age: Double, halfLife: Double) -> Double {
        exp2(-age / halfLife)
    }

    /// How new an article of `ageDays` is, 1 / (1 + age in days), 1 for an age of 0 or less: the newest stage's
    /// score and the `newest` trending measure (newer first, on a scale that does not dwarf other stages).
    @inline(__always)
    public static func newness(ageDays: Double) -> Double {
        1 / (1 + max(0, ageDays))
    }

    /// The engagement rate per day that a decayed sum stands for: a steady stream of λ a day decays to a sum of
    /// λ · h / ln 2 (h in days), so rate = sum · ln 2 / h. `halfLife` in milliseconds.
    @inline(__always)
    public static func ratePerDay(decayedSum: Double, halfLife: Double) -> Double {
        decayedSum * M_LN2 / halfLife * Double(Timestamp.millisecondsPerDay)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
