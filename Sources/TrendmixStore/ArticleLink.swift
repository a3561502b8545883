import TrendmixCore

/// A link between two articles of one site.
public struct ArticleLink: Hashable, Sendable, Codable {
    public var site: String
    public var from: String
    public var to: String
    public var kind: ArticleLinkKind

    public init(site: String, from: String, to: String, kind: ArticleLinkKind) {
        self.site = site
        self.from = from
        self.to = to
        self.kind = kind
    }
}
