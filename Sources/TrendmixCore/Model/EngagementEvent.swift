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
