import TrendmixCore

/// Impressions and clicks of one box position.
public struct PlacementClicks: Sendable, Equatable {
    public var placement: String
    public var position: Int
    public var impressions: Int
    public var clicks: Int

    public init(placement: String, position: Int, impressions: Int, clicks: Int) {
        self.placement = placement
        self.position = position
        self.impressions = impressions
        self.clicks = clicks
    }
}
