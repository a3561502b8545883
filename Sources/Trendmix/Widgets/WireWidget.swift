import Foundation
import TrendmixCore

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
        case article, heading, host, items, kind, model, schema, variant
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
        try c.encodeIfPresent(w.variant, forKey: .variant)
    }
}
