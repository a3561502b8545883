public import TrendmixCore

/// One box, ready to render: a site's "mix of what's trending on our other sites", or an article's
/// related articles from the other sites.
public struct Widget: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case site, article }

    public var kind: Kind
    public var host: Site
    /// For article widgets: the article the box is under.
    public var article: (id: String, title: String?, url: String?)?
    /// The `now` the widget was computed for.
    public var generatedAt: Timestamp
    public var modelBuiltFor: Timestamp
    public var configurationHash: String
    public var items: [RecommendedItem]

    public static let siteHeading = "A mix of what's trending on our other sites"
    public static let articleHeading = "Readers of this also read, on our other sites"

    public var heading: String { kind == .site ? Self.siteHeading : Self.articleHeading }

    public static func == (a: Widget, b: Widget) -> Bool {
        a.kind == b.kind && a.host == b.host && a.article?.id == b.article?.id && a.article?.title == b.article?.title
            && a.article?.url == b.article?.url && a.generatedAt == b.generatedAt && a.modelBuiltFor == b.modelBuiltFor
            && a.configurationHash == b.configurationHash && a.items == b.items
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(host)
        hasher.combine(article?.id)
        hasher.combine(generatedAt)
        hasher.combine(items)
    }
}

extension Widget {
    /// The box the engine's model gives: a site's mix (`seed` nil) or the related box under an article, on the
    /// article's own site as host.
    public init(engine: RecommendationEngine, host: Int32, seed: Int32?, k: Int, now: Timestamp) {
        let model = engine.model
        let request = RecommendationRequest(host: host, seed: seed, k: k, now: now)
        self.init(
            kind: seed == nil ? .site : .article, host: model.sites[Int(host)],
            article: seed.map { a in
                (
                    id: model.articles.externalID[Int(a)], title: model.articles.title[Int(a)],
                    url: model.articles.url[Int(a)]
                )
            }, generatedAt: now, modelBuiltFor: engine.stamp.builtFor,
            configurationHash: engine.stamp.configurationHash, items: engine.recommend(request))
    }
}
