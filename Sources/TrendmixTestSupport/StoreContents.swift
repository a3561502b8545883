public import TrendmixStore

/// Everything a store holds, through the `ArticleStore` protocol only, as text keyed by external ids:
/// two stores with the same records give the same text whatever their internal row ids.
public func logicalContents(of store: any ArticleStore) throws -> String {
    var out: [String] = []
    for site in try store.sites() {
        out.append("site \(site)")
        for article in try store.articles(site: site.slug) { out.append("article \(article)") }
    }
    var events: [String] = []
    try store.forEachEvent(from: nil, to: nil) { events.append("event \($0)") }
    out += events.sorted()
    out += try store.dailyEngagement(site: nil).map { "daily \($0)" }
    out += try store.links(site: nil).map { "link \($0)" }
    return out.joined(separator: "\n")
}
