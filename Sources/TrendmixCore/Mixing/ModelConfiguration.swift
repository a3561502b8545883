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
    /// Per-site calibration at build (the model's own code does not run it: ``LearnedModel`` takes its result).
    public var calibration = CalibrationConfiguration()

    public init() {}

    /// The session neighbour index's settings: `cooccurrence` with sessions as baskets, or `nil` when none is
    /// built (``MixConfiguration/sessionWeight`` is 0, or the main index already counts sessions).
    public var sessionCooccurrence: CooccurrenceConfiguration? {
        guard mix.sessionWeight > 0, cooccurrence.unit != .session else { return nil }
        var c = cooccurrence
        c.unit = .session
        return c
    }
}
