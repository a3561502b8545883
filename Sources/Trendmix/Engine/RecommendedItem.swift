import TrendmixCore

/// One item of a box, ready to show: what a widget renders and the API returns.
public struct RecommendedItem: Sendable, Hashable, Codable {
    public var site: String
    public var siteName: String
    public var article: String
    public var title: String?
    public var url: String?
    /// The article's first tag, shown as a label above the title.
    public var tag: String?
    public var score: Double
    /// Why: "cooccurrence", "session", "tags", "personalized", "trending" or "newest".
    public var reason: String
    /// The reason in words.
    public var explanation: String

    public init(
        site: String, siteName: String, article: String, title: String?, url: String?, tag: String?, score: Double,
        reason: String, explanation: String
    ) {
        self.site = site
        self.siteName = siteName
        self.article = article
        self.title = title
        self.url = url
        self.tag = tag
        self.score = score
        self.reason = reason
        self.explanation = explanation
    }

    init(model: RecommendationModel, scored: ScoredArticle) {
        let a = Int(scored.article)
        let site = model.sites[Int(model.articles.site[a])]
        self.site = site.slug
        siteName = site.name
        article = model.articles.externalID[a]
        title = model.articles.title[a]
        url = model.articles.url[a]
        tag = model.articles.tags(of: a).first.map { model.tags[Int($0)] }
        score = scored.score
        reason = scored.reason.source.rawValue
        explanation = Self.explain(scored.reason, model)
    }

    /// The article itself as an item (no score), to show what a box is about.
    static func describe(model: RecommendationModel, article: Int32) -> RecommendedItem {
        var item = RecommendedItem(
            model: model, scored: ScoredArticle(article: article, score: 0, reason: Explanation(source: .newest)))
        item.reason = ""
        item.explanation = ""
        return item
    }

    /// `x` rounded to three decimals, half away from zero: 1.2346 → "1.235", -0.0049 → "-0.005", 0 → "0.000";
    /// "?" when not finite. Integer arithmetic: explanations are made for every item of every widget.
    static func threeDecimals(_ x: Double) -> String {
        let scaled = (x * 1000).rounded()
        guard scaled.isFinite, scaled.magnitude < 9e18 else { return "?" }
        let v = Int(scaled)
        let whole = v.magnitude / 1000
        let fraction = v.magnitude % 1000
        let pad = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return (v < 0 ? "-" : "") + String(whole) + "." + pad + String(fraction)
    }

    static func explain(_ r: Explanation, _ model: RecommendationModel) -> String {
        func name(_ a: Int32?) -> String {
            guard let a else { return "?" }
            let i = Int(a)
            return "'\(model.articles.title[i] ?? model.articles.externalID[i])'"
        }
        func fixed(_ x: Double?) -> String { x.map(Self.threeDecimals) ?? "?" }
        func visits(_ n: Int32) -> String {
            "read in the same visit as \(name(r.seed)) \(n == 1 ? "once" : "\(n) times")"
        }
        var parts: [String] = []
        switch r.source {
        case .cooccurrence:
            let n = r.cooccurrenceCount ?? 0
            parts.append(
                "\(n) \(n == 1 ? "reader" : "readers") of \(name(r.seed)) also read it (similarity \(fixed(r.similarity)))"
            )
            if let v = r.sessionCount { parts.append(visits(v)) }
        case .session:
            parts.append(visits(r.sessionCount ?? 0) + " (similarity \(fixed(r.similarity)))")
        case .tags:
            break
        case .personalized:
            parts.append("close to \(name(r.seed)), which this reader read (score \(fixed(r.similarity)))")
        case .trending:
            let rates = "\(fixed(r.recentRate)) weighted events a day lately against \(fixed(r.baselineRate)) usually"
            switch model.configuration.trending.measure {
            case .growth: parts.append("trending on its site: \(rates) (growth \(fixed(r.growth)))")
            case .decayedCount: parts.append("busy on its site: \(rates) (decayed count \(fixed(r.growth)))")
            case .hackerNewsGravity:
                parts.append("new and engaged on its site: \(rates) (HN gravity \(fixed(r.growth)))")
            }
        case .newest:
            parts.append("among the newest articles of its site")
        }
        if let t = r.tagSimilarity, !r.sharedTags.isEmpty {
            let names = r.sharedTags.map { model.tags[Int($0)] }.joined(separator: ", ")
            parts.append("shares the tags \(names) with \(name(r.seed)) (tag similarity \(fixed(t)))")
        }
        return parts.joined(separator: "; ")
    }
}
