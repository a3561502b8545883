/// What a hot article's lifetime rate counts (``MixConfiguration/hotCounts``).
public enum HotCount: String, Sendable, Hashable, Codable, CaseIterable {
    /// Readers reached (``TrendingScores/reach``): each reader once, however often they came back.
    case readers
    /// All weighted engagement (``TrendingScores/total``), repeat visits included.
    case engagement
}
