/// How "trending" is measured. See `docs/trending.md` for the formulas and how they compare.
public enum TrendingMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Smoothed growth: the article's recent engagement rate over its own longer-term rate, both shrunk
    /// toward the site's typical rate. Trendmix's default.
    case growth
    /// The plain decayed engagement (recent volume), for comparison.
    case decayedCount
    /// Hacker News' gravity, (engagement − 1) / (age in hours + 2)^1.8, age counted from publication.
    case hackerNewsGravity
    /// Velocity as the Universal Recommender counts it: the engagement of the newer half of a window of two of the
    /// site's half-lives minus that of the older half (rising articles score above 0, fading ones below).
    case velocity
    /// Newest first among the articles with engagement in the trending window: 1 / (1 + age in days), age from
    /// the publish time, else the first engagement (``RecencyDecay/newness(ageDays:)``).
    case newest

    /// The names, for help and error messages.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
