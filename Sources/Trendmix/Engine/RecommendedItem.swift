public import TrendmixCore

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
    /// Image, author, section and description where the article has them (a richer card), else nil.
    public var card: ArticleCard? = nil

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
        explanation = Self.explain(
            scored.reason, sharedTags: model.sharedTags(of: scored), model, article: scored.article)
        card = model.articles.card[a]
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
    /// "?" when not finite.
    static func threeDecimals(_ x: Double) -> String {
        var out = UTF8Output(capacity: 24)
        out.threeDecimals(x)
        return out.string
    }

    /// The reason in words, e.g. "12 readers of 'A title' also read it (similarity 0.412); read in the same
    /// visit as 'A title' 3 times". Written byte by byte into one buffer: an explanation is made for every item
    /// of every widget, and building it from interpolated strings was a tenth of the per-article widget job.
    static func explain(
        _ r: Explanation, sharedTags: [Int32], _ model: RecommendationModel, article seedless: Int32? = nil
    ) -> String {
        var out = UTF8Output(capacity: 256)
        func name(_ a: Int32?) {
            guard let a else { return out.append("?") }
            let i = Int(a)
            out.append(byte: 0x27)
            out.append(model.articles.title[i] ?? model.articles.externalID[i])
            out.append(byte: 0x27)
        }
        func fixed(_ x: Double?) {
            guard let x else { return out.append("?") }
            out.threeDecimals(x)
        }
        func visits(_ n: Int32) {
            out.append("read in the same visit as ")
            name(r.seed)
            if n == 1 {
                out.append(" once")
            } else {
                out.append(byte: 0x20)
                out.integer(Int64(n))
                out.append(" times")
            }
        }
        switch r.source {
        case .cooccurrence:
            let n = r.cooccurrenceCount ?? 0
            out.integer(Int64(n))
            out.append(n == 1 ? " reader of " : " readers of ")
            name(r.seed)
            out.append(" also read it (similarity ")
            fixed(r.similarity)
            out.append(byte: 0x29)
            if let v = r.sessionCount {
                out.append("; ")
                visits(v)
            }
        case .session:
            visits(r.sessionCount ?? 0)
            out.append(" (similarity ")
            fixed(r.similarity)
            out.append(byte: 0x29)
        case .tags:
            break
        case .personalized:
            // A blended item can come in on hotness alone: then nothing the reader read is close to it.
            if r.similarity == 0 {
                out.append("nothing this reader read points to it (personal score ")
            } else {
                out.append("close to ")
                name(r.seed)
                out.append(", which this reader read (personal score ")
            }
            fixed(r.similarity)
            out.append(byte: 0x29)
        case .trending:
            let site = seedless.map { Int(model.articles.site[Int($0)]) }
            let measure = site.map { model.tuning[$0].trendingMeasure } ?? model.configuration.trending.measure
            switch measure {
            case .growth: out.append("trending on its site: ")
            case .decayedCount: out.append("busy on its site: ")
            case .hackerNewsGravity: out.append("new and engaged on its site: ")
            case .velocity: out.append("gaining engagement on its site: ")
            case .newest: out.append("new and read on its site: ")
            }
            fixed(r.recentRate)
            out.append(" weighted events a day lately against ")
            fixed(r.baselineRate)
            switch measure {
            case .growth: out.append(" usually (growth ")
            case .decayedCount: out.append(" usually (decayed count ")
            case .hackerNewsGravity: out.append(" usually (HN gravity ")
            case .velocity: out.append(" usually (velocity ")
            case .newest: out.append(" usually (newest first")
            }
            if measure != .newest { fixed(r.growth) }
            out.append(byte: 0x29)
            if let site, let chosen = model.calibrated[site], chosen.trendingSource != .configured {
                out.append(
                    chosen.trendingSource == .own
                        ? "; the measure this site's backtest chose" : "; the measure the sites' pooled backtest chose")
            }
        case .newest:
            out.append("among the newest articles of its site")
            if let a = seedless, let published = model.articles.publishedAt[Int(a)] {
                out.append(" (published ")
                out.append(String(Timestamp(milliseconds: published).iso8601.prefix(10)))
                out.append(byte: 0x29)
            }
        }
        if let t = r.tagSimilarity, !sharedTags.isEmpty {
            if !out.bytes.isEmpty { out.append("; ") }
            out.append("shares the tags ")
            for (k, tag) in sharedTags.enumerated() {
                if k > 0 { out.append(", ") }
                out.append(model.tags[Int(tag)])
            }
            out.append(" with ")
            name(r.seed)
            out.append(" (tag similarity ")
            fixed(t)
            out.append(byte: 0x29)
        }
        if let b = r.blend, b.weight > 0 {
            out.append("; ranked with freshness ")
            fixed(Double(b.weight))
            out.append(": evidence ")
            fixed(Double(b.evidence))
            out.append(", hotness ")
            fixed(Double(b.hotness))
        }
        if r.fromHostSite {
            if !out.bytes.isEmpty { out.append("; ") }
            out.append("from this site: the other sites had too little to fill the box")
        }
        return out.string
    }
}
