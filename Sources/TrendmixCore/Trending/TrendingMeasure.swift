/// How "trending" is measured. See `docs/trending.md` for the formulas and how they compare.
public enum TrendingMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Smoothed growth: the article's recent engagement rate over its own longer-term rate, both shrunk
    /// toward the site's typical rate. Trendmix's default.
    case growth
    /// The plain decayed engagement (recent volume), for comparison.
    case decayedCount
    /// Hacker News' gravity, (engagement − 1) / (age in hours + 2)^1.8, age counted from publication.
    case hackerNewsGravity
}
