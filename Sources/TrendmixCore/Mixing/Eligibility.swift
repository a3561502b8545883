/// What a request lets into its box: not the seed or an article read before it in the visit, not an article the
/// reader read, not excluded, not on the host site (unless allowed), inside the request's sites, tags and
/// publish-time filters, published no later than `now` and not before the freshness cutoff, and not expired.
struct Eligibility {
    let request: RecommendationRequest
    let allowHost: Bool
    /// The request's moment and the freshness cutoff (``MixConfiguration/maxAge``), in milliseconds.
    let now: Int64
    let oldest: Int64?
    /// Articles that expired at or before this moment are never shown (``RecommendationRequest/visibleAt``).
    let visible: Int64
    /// The reader's read articles, by article.
    let seen: [Bool]
    let articles: Snapshot.Articles
    /// The visit's last ``RecommendationModel/maximumVisit`` articles (``RecommendationRequest/visit``).
    let visited: Set<Int32>

    init(
        request: RecommendationRequest, allowHost: Bool, now: Int64, oldest: Int64?, visible: Int64, seen: [Bool],
        articles: Snapshot.Articles
    ) {
        self.request = request
        self.allowHost = allowHost
        self.now = now
        self.oldest = oldest
        self.visible = visible
        self.seen = seen
        self.articles = articles
        visited = Set(request.visit.suffix(RecommendationModel.maximumVisit))
    }

    /// Whether the site may hold candidates at all: whole sites the request rules out are skipped, not walked
    /// article by article (the host site alone is a quarter of a four-site catalogue).
    @inline(__always)
    func site(_ site: Int32) -> Bool {
        if !allowHost, site == request.host { return false }
        if let sites = request.sites, !sites.contains(site) { return false }
        return true
    }

    /// Whether article `j` may be in the box.
    @inline(__always)
    func article(_ j: Int32) -> Bool {
        let a = Int(j)
        if j == request.seed || seen[a] || (!request.exclude.isEmpty && request.exclude.contains(j)) { return false }
        guard site(articles.site[a]) else { return false }
        if !visited.isEmpty, visited.contains(j) { return false }
        if let expires = articles.expiresAt[a], expires <= visible { return false }
        if let wanted = request.tags, !articles.tags(of: a).contains(where: wanted.contains) { return false }
        if let published = articles.publishedAt[a] {
            if published > now { return false }
            if let oldest, published < oldest { return false }
            if let after = request.publishedAfter, published < after { return false }
            if let before = request.publishedBefore, published >= before { return false }
        } else if request.publishedAfter != nil || request.publishedBefore != nil {
            return false
        }
        return true
    }
}
