/// What a hot article's lifetime rate counts (``MixConfiguration/hotCounts``).
public enum HotCount: String, Sendable, Hashable, Codable, CaseIterable {
    /// Readers reached (``TrendingScores/reach``): each reader once, however often they came back.
    case readers
    /// All weighted engagement (``TrendingScores/total``), repeat visits included.
    case engagement
    /// Nothing but age: every article with engagement counts 1, so the hottest is the newest (the "Newest"
    /// baseline as a hot list).
    case age

    /// The names, for help and error messages.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
