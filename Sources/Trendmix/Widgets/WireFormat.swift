public import Foundation
import TrendmixCore

/// The wire vocabulary as Codable types (docs/wire-format.md): what the widget files, the HTTP API's answers and
/// the command line's `--json` hold. ``WidgetRenderer`` writes the same bytes by hand, for speed; the encoder
/// below is the reference it is tested against.
public enum WireFormat {
    /// Sorted keys, slashes unescaped, no whitespace: the encoder whose output ``WidgetRenderer`` reproduces.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A score as the wire writes it: rounded to six decimals, without trailing zeros (a `Decimal`, so neither
    /// binary noise nor an exponent reaches the text).
    static func decimal(_ x: Double) -> Decimal {
        var out = UTF8Output(capacity: 24)
        out.number(x)
        return Decimal(string: out.string) ?? 0
    }
}

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

/// A widget file (schema `trendmix-widget/1`).
public struct WireWidget: Encodable, Sendable {
    public var widget: Widget

    public init(_ widget: Widget) { self.widget = widget }

    struct Host: Encodable {
        var name: String
        var slug: String
        var url: String
    }

    struct Article: Encodable {
        var id: String
        var title: String?
        var url: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(url, forKey: .url)
        }

        enum CodingKeys: String, CodingKey { case id, title, url }
    }

    struct Model: Encodable {
        var builtFor: Timestamp
        var configurationHash: String

        enum CodingKeys: String, CodingKey {
            case builtFor = "built_for"
            case configurationHash = "configuration_hash"
        }
    }

    enum CodingKeys: String, CodingKey {
        case article, heading, host, items, kind, model, schema
        case generatedAt = "generated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let w = widget
        if let a = w.article { try c.encode(Article(id: a.id, title: a.title, url: a.url), forKey: .article) }
        try c.encode(w.generatedAt, forKey: .generatedAt)
        try c.encode(w.heading, forKey: .heading)
        try c.encode(Host(name: w.host.name, slug: w.host.slug, url: w.host.baseURL), forKey: .host)
        try c.encode(w.items.map { WireItem($0) }, forKey: .items)
        try c.encode(w.kind.rawValue, forKey: .kind)
        try c.encode(Model(builtFor: w.modelBuiltFor, configurationHash: w.configurationHash), forKey: .model)
        try c.encode(WidgetRenderer.schema, forKey: .schema)
    }
}
