/// One reader's engagement with one article at one time.
public struct EngagementEvent: Hashable, Sendable, Codable {
    /// Idempotency key: unique per site. Importing an event whose key is already stored adds nothing.
    public var sourceID: String
    /// The slug of the article's site.
    public var site: String
    /// The article's identifier within its site.
    public var article: String
    /// Cross-site reader identity, `nil` for anonymous engagement.
    public var reader: String?
    /// Session identifier, where the source groups events into visits.
    public var session: String?
    public var type: EventType
    public var time: Timestamp
    /// Strength of the event; 1 unless the source says otherwise (a MovieLens rating stores its stars).
    public var value: Double

    public init(
        sourceID: String, site: String, article: String, reader: String?, session: String? = nil,
        type: EventType, time: Timestamp, value: Double = 1
    ) {
        self.sourceID = sourceID
        self.site = site
        self.article = article
        self.reader = reader
        self.session = session
        self.type = type
        self.time = time
        self.value = value
    }
}

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
