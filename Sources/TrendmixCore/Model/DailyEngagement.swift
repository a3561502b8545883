/// Engagement counts for one article on one UTC day, for sources that give counts but not readers
/// (Stack Exchange's anonymous votes, a partner's daily page-view report).
public struct DailyEngagement: Hashable, Sendable, Codable {
    public var site: String
    public var article: String
    /// Days since 1970-01-01 (UTC).
    public var day: Int64
    public var views: Int64
    /// Number of votes of any direction.
    public var votes: Int64
    /// Net score: up votes minus down votes.
    public var score: Int64
    public var comments: Int64

    public init(
        site: String, article: String, day: Int64, views: Int64 = 0, votes: Int64 = 0, score: Int64 = 0,
        comments: Int64 = 0
    ) {
        self.site = site
        self.article = article
        self.day = day
        self.views = views
        self.votes = votes
        self.score = score
        self.comments = comments
    }
}
