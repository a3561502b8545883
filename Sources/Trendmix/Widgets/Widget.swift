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
    /// The reader's arm of an A/B test (`serve --variant`), nil outside one: JSON `variant`, HTML `data-variant`.
    public var variant: String? = nil

    public static let siteHeading = "A mix of what's trending on our other sites"
    public static let articleHeading = "Readers of this also read, on our other sites"

    /// The box's heading, saying what its items are and where they come from: "Readers of this also read" only
    /// when an item came from co-occurrence, "trending" only when one is trending, "this site" when every item
    /// is the host's own (``MixConfiguration/fillFromHostSite``).
    public var heading: String { Self.heading(kind: kind, items: items, host: host.slug) }

    static func heading(kind: Kind, items: [RecommendedItem], host: String) -> String {
        let own = items.contains { $0.site == host }
        let others = items.isEmpty || items.contains { $0.site != host }
        let suffix = !own ? ", on our other sites" : (others ? "" : ", on this site")
        let place = !own ? "on our other sites" : (others ? "on our sites" : "on this site")
        func has(_ reasons: String...) -> Bool { items.contains { reasons.contains($0.reason) } }
        if kind == .article, has("cooccurrence", "session") { return "Readers of this also read" + suffix }
        if kind == .article, has("tags") { return "Related articles" + suffix }
        if items.isEmpty || has("trending") {
            return own && !others ? "What's trending on this site" : "A mix of what's trending " + place
        }
        if has("personalized") { return "Picked for you" + suffix }
        return "New " + place
    }

    public static func == (a: Widget, b: Widget) -> Bool {
        a.kind == b.kind && a.host == b.host && a.article?.id == b.article?.id && a.article?.title == b.article?.title
            && a.article?.url == b.article?.url && a.generatedAt == b.generatedAt && a.modelBuiltFor == b.modelBuiltFor
            && a.configurationHash == b.configurationHash && a.items == b.items && a.variant == b.variant
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
    /// article's own site as host; a reader's own box when `reader` is given (personalised, without what they
    /// read). `visit`: the articles read before the seed in the same visit (``RecommendationRequest/visit``).
    /// `visibleAt`: when the box is shown, for expiry (``RecommendationRequest/visibleAt``).
    public init(
        engine: RecommendationEngine, host: Int32, seed: Int32?, visit: [Int32] = [], reader: Int32? = nil,
        exclude: Set<Int32> = [], k: Int, now: Timestamp, visibleAt: Timestamp? = nil
    ) {
        let model = engine.model
        let request = RecommendationRequest(
            host: host, seed: seed, visit: visit, reader: reader, k: k, exclude: exclude, now: now,
            visibleAt: visibleAt)
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
