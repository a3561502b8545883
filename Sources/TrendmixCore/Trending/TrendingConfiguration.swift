/// The trending settings.
public struct TrendingConfiguration: Sendable, Hashable, Codable {
    public var measure: TrendingMeasure = .growth
    /// The long half-life (the article's own baseline) as a multiple of the site's half-life.
    public var baselineFactor: Double = 7
    /// Weight of the site's typical rate in both numerator and denominator (pseudo-observations).
    public var priorStrength: Double = 1
    /// HN gravity exponent.
    public var gravity: Double = 1.8

    public init() {}
}
