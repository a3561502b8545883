import TrendmixCore
import TrendmixStore

/// Looking up what requests name: sites by slug, articles by URL, id or `site:id`, readers by id; and the lists a
/// request gives (`exclude`, `visit`), where a reference that names nothing is skipped.
extension RecommendationEngine {
    /// The site index of a slug.
    public func site(_ slug: String) throws -> Int32 {
        guard let i = siteIndex[slug] else { throw EngineError.unknownSite(slug) }
        return i
    }

    /// Finds an article by URL, by id on a site, as `site:id`, or by id alone when exactly one site has it. URLs
    /// are compared normalised (``URLNormalizer``): scheme and host case, a trailing slash, tracking parameters
    /// and the fragment do not matter.
    public func article(_ reference: String, site: String? = nil) throws -> Int32 {
        let matches = try articles(reference, site: site)
        guard let first = matches.first else { throw EngineError.unknownArticle(reference, site: site) }
        guard matches.count == 1 else {
            throw EngineError.ambiguousArticle(
                reference, sites: matches.map { model.sites[Int(model.articles.site[Int($0)])].slug })
        }
        return first
    }

    /// Every article a reference can name: one for a URL, `site:id` or an id on a given site; for a bare id, the
    /// article of each site that has it.
    private func articles(_ reference: String, site: String?) throws -> [Int32] {
        if FieldRules.hasHTTPScheme(reference) {
            return urlIndex[URLNormalizer.normalize(reference)].map { [$0] } ?? []
        }
        if let site {
            return articleIndex[ArticleKey(site: try self.site(site), id: reference)].map { [$0] } ?? []
        }
        let matches = (0..<Int32(model.sites.count)).compactMap {
            articleIndex[ArticleKey(site: $0, id: reference)]
        }
        if matches.isEmpty, let colon = reference.firstIndex(of: ":"),
            let s = siteIndex[String(reference[..<colon])],
            let a = articleIndex[ArticleKey(site: s, id: String(reference[reference.index(after: colon)...]))]
        {
            return [a]
        }
        return matches
    }

    /// The references of `exclude` that name no article (a query skips them; the command line warns).
    public func unknownReferences(_ references: [String]) -> [String] {
        references.filter { resolved($0).isEmpty }
    }

    /// The articles to leave out: a bare id that several sites use leaves out each of them, and a reference that
    /// names no article is skipped (an article published after the last build has no row yet, and must not cost
    /// the box).
    public func excluded(_ references: [String]) throws -> Set<Int32> {
        var out: Set<Int32> = []
        for reference in references { out.formUnion(resolved(reference)) }
        return out
    }

    /// The articles a visit's references name, in the visit's order, from the last
    /// ``RecommendationModel/maximumVisit`` references only (no work grows with a longer list). A reference that
    /// names no article is skipped (the article may be newer than the model); a bare id several sites use names
    /// the one on `site` (the seed's: a visit stays on one site's pages), else it is skipped as ambiguous.
    public func visited(_ references: [String], site: Int32? = nil) -> [Int32] {
        var out: [Int32] = []
        for reference in references.suffix(RecommendationModel.maximumVisit) {
            let matches = resolved(reference)
            if matches.count == 1 {
                out.append(matches[0])
            } else if let site, let own = matches.first(where: { model.articles.site[Int($0)] == site }) {
                out.append(own)
            }
        }
        return out
    }

    /// Every article a reference names (``articles(_:site:)`` without a site), none for an unknown one.
    private func resolved(_ reference: String) -> [Int32] { (try? articles(reference, site: nil)) ?? [] }

    /// A reader's dense index; nil for a reader the model has not seen (their box is the one for everyone).
    public func reader(_ id: String) -> Int32? { readerIndex[id] }

}
