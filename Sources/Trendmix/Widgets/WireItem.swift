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
        case article, explanation, reason, score, site, tag, title, url
        case siteName = "site_name"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(item.article, forKey: .article)
        if withExplanation { try c.encode(item.explanation, forKey: .explanation) }
        try c.encode(item.reason, forKey: .reason)
        try c.encode(WireFormat.decimal(item.score), forKey: .score)
        try c.encode(item.site, forKey: .site)
        try c.encode(item.siteName, forKey: .siteName)
        try c.encode(item.tag, forKey: .tag)
        try c.encode(item.title, forKey: .title)
        try c.encode(item.url, forKey: .url)
    }
}
