/// An article (or question, or movie) on a partner site, as the importers see it.
public struct Article: Hashable, Sendable, Codable {
    /// The slug of the site that published it.
    public var site: String
    /// The site's own identifier for it (unique within the site).
    public var externalID: String
    /// Canonical URL, `http(s)` only; `nil` where the source has none.
    public var url: String?
    /// Headline; `nil` where the source has none (DeskDrop ships no titles).
    public var title: String?
    /// When it was published; `nil` where unknown.
    public var publishedAt: Timestamp?
    /// BCP 47 language tag such as `en` or `it`; `nil` where unknown.
    public var language: String?
    /// Tags, lowercased, in the source's order without duplicates.
    public var tags: [String]
    /// Lifetime view count reported by the source at export time, where it gives one.
    public var viewCount: Int64?
    /// Lifetime score (up minus down votes) reported by the source, where it gives one.
    public var score: Int64?
    /// Image, author, section and description for a richer card.
    public var card: ArticleCard
    /// After this moment the article is never shown (an event's offer, a page taken down); `nil` for never.
    public var expiresAt: Timestamp?

    public init(
        site: String, externalID: String, url: String? = nil, title: String? = nil,
        publishedAt: Timestamp? = nil, language: String? = nil, tags: [String] = [],
        viewCount: Int64? = nil, score: Int64? = nil, card: ArticleCard = ArticleCard(), expiresAt: Timestamp? = nil
    ) {
        self.site = site
        self.externalID = externalID
        self.url = url
        self.title = title
        self.publishedAt = publishedAt
        self.language = language
        self.tags = tags
        self.viewCount = viewCount
        self.score = score
        self.card = card
        self.expiresAt = expiresAt
    }
}
