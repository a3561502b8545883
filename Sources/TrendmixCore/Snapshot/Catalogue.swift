/// The sites, articles and tags a model answers about, without events: what a model is aligned to.
public struct Catalogue: Sendable {
    public var sites: [Site]
    public var articles: Snapshot.Articles
    /// Tag names; an article's tags are indices into this array.
    public var tags: [String]
    /// The store's row ids of the articles (see ``Snapshot/articleKeys``).
    public var articleKeys: [Int64]

    public init(sites: [Site], articles: Snapshot.Articles, tags: [String], articleKeys: [Int64] = []) {
        self.sites = sites
        self.articles = articles
        self.tags = tags
        self.articleKeys = articleKeys
    }
}

extension Snapshot {
    /// The snapshot's sites, articles and tags.
    public var catalogue: Catalogue {
        Catalogue(sites: sites, articles: articles, tags: tags, articleKeys: articleKeys)
    }
}
