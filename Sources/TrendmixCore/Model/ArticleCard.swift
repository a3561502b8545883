/// What a richer card shows of an article beside its title and site (issue 22): all optional, as sources give
/// them. Display only: nothing of it enters the ranking.
public struct ArticleCard: Hashable, Sendable, Codable {
    /// An `http(s)` image URL.
    public var imageURL: String?
    public var author: String?
    /// The site's own section (`Fashion`, `Events`), shown as the item's label in place of its first tag.
    public var section: String?
    /// A sentence or two.
    public var description: String?

    public init(imageURL: String? = nil, author: String? = nil, section: String? = nil, description: String? = nil) {
        self.imageURL = imageURL
        self.author = author
        self.section = section
        self.description = description
    }

    public var isEmpty: Bool { imageURL == nil && author == nil && section == nil && description == nil }
}
