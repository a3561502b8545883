import Foundation
import TrendmixCore

/// One item of a box.
public struct WireItem: Encodable, Sendable {
    public var item: RecommendedItem
    /// Whether the explanation is part of it (the HTTP API leaves it out unless `explain` is asked).
    public var withExplanation: Bool

    public init(_ item: RecommendedItem, withExplanation: Bool = true) {
        self.item = item
        self.withExplanation = withExplanation
    }

    enum CodingKeys: String, CodingKey {
        case article, author, description, explanation, reason, score, section, site, tag, title, url
        case siteName = "site_name"
        case imageURL = "image_url"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(item.article, forKey: .article)
        // A richer card's fields only where the article has them, so boxes without cards stay as they were.
        try c.encodeIfPresent(item.card?.author, forKey: .author)
        try c.encodeIfPresent(item.card?.description, forKey: .description)
        if withExplanation { try c.encode(item.explanation, forKey: .explanation) }
        try c.encodeIfPresent(item.card?.imageURL, forKey: .imageURL)
        try c.encode(item.reason, forKey: .reason)
        try c.encode(WireFormat.decimal(item.score), forKey: .score)
        try c.encodeIfPresent(item.card?.section, forKey: .section)
        try c.encode(item.site, forKey: .site)
        try c.encode(item.siteName, forKey: .siteName)
        try c.encode(item.tag, forKey: .tag)
        try c.encode(item.title, forKey: .title)
        try c.encode(item.url, forKey: .url)
    }
}
