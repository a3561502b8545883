public import TrendmixCore

/// How two articles are linked by their site (Stack Exchange's PostLinks).
public enum ArticleLinkKind: String, Sendable, Codable, CaseIterable {
    case related
    case duplicate
}

/// A link between two articles of one site.
public struct ArticleLink: Hashable, Sendable, Codable {
    public var site: String
    public var from: String
    public var to: String
    public var kind: ArticleLinkKind

    public init(site: String, from: String, to: String, kind: ArticleLinkKind) {
        self.site = site
        self.from = from
        self.to = to
        self.kind = kind
    }
}

/// Receives the records of one import inside one transaction.
///
/// Importers parse their format and hand every record to a writer; the store behind it decides how to
/// persist them. Each call names where the record came from, so a record the store rejects (an event for an
/// unknown article, an id repeated within the import) fails with the file and line.
public protocol ImportWriter: AnyObject {
    /// Adds a site or updates its name, kind and URL.
    func upsertSite(_ site: Site, at location: SourceLocation) throws
    /// Records that the site's records come from `source` (a format and what identifies one data set of it:
    /// `movielens-100k`, `stackexchange https://beer.stackexchange.com`). Call after ``upsertSite(_:at:)`` and
    /// before any other record of the site.
    /// - Throws: ``ImportError/conflict(_:field:reason:)`` when the site holds another source's records: their
    ///   ids would mean other things (MovieLens 100k's movie 2 is not latest's), so the import is refused whole.
    func claimSource(_ source: String, site: String, at location: SourceLocation) throws
    /// Adds an article (with its tags) or updates it. Its site must already be stored or imported.
    /// - Parameter keepingOtherTags: keep stored tags the article does not list (after its own), for sources
    ///   whose tags arrive from two files (MovieLens genres and user tags).
    func upsertArticle(_ article: Article, keepingOtherTags: Bool, at location: SourceLocation) throws
    /// Adds an event unless one with the same `sourceID` is already stored for its site.
    /// - Throws: ``ImportError/invalidField(_:field:value:reason:)`` for an unknown site or article, and
    ///   ``ImportError/conflict(_:field:reason:)`` when the import repeats an event id.
    /// - Returns: whether the event is new (false: an event with its site and id is already stored).
    @discardableResult
    func addEvent(_ event: EngagementEvent, at location: SourceLocation) throws -> Bool
    /// Stores the daily counts of one article, replacing counts stored earlier for that day.
    func setDaily(_ daily: DailyEngagement, at location: SourceLocation) throws
    /// Adds one tag to an article's tags unless it has it already (MovieLens user tags arrive after the movie).
    func addTag(_ tag: String, site: String, article: String, at location: SourceLocation) throws
    /// Records a link from one article to another on the same site.
    func addLink(site: String, from: String, to: String, kind: ArticleLinkKind, at location: SourceLocation) throws
    /// Whether the article is stored or already imported by this import.
    func hasArticle(site: String, externalID: String) throws -> Bool
    /// Counts an input record passed over on purpose.
    func skip(_ reason: String, count: Int)
    /// What the import has done so far.
    var summary: ImportSummary { get }
}

extension ImportWriter {
    public func skip(_ reason: String) { skip(reason, count: 1) }

    /// Adds or updates an article, replacing its tags.
    public func upsertArticle(_ article: Article, at location: SourceLocation) throws {
        try upsertArticle(article, keepingOtherTags: false, at: location)
    }
}

/// The storage behind Trendmix: partner sites, their articles and tags, readers, engagement events and daily
/// aggregates.
///
/// `SQLiteArticleStore` is the embedded default; every conformer must pass the contract suite in
/// `Tests/TrendmixStoreTests/Database/ArticleStoreContractTests.swift`. Calls are synchronous: importers are
/// pull-based readers that hand records to an ``ImportWriter`` one at a time inside one transaction, and the
/// scoring core reads a snapshot (``ModelStore``), not this protocol. A networked conformer runs an import on a
/// thread of its own and batches what the writer receives.
public protocol ArticleStore: Sendable {
    /// Runs `body` in one transaction: either everything it wrote is stored, or (on a thrown error, or
    /// with `dryRun`) nothing is.
    /// - Returns: what the import added, updated and skipped.
    func importRecords(dryRun: Bool, _ body: (any ImportWriter) throws -> Void) throws -> ImportSummary
    /// Every site, ordered by slug.
    func sites() throws -> [Site]
    /// One article with its tags, or `nil`.
    func article(site: String, externalID: String) throws -> Article?
    /// Every article of a site with its tags, ordered by external id.
    func articles(site: String) throws -> [Article]
    /// Calls `body` for each event in `[from, to)` (either end open when `nil`) in time order, ties by
    /// insertion order.
    func forEachEvent(from: Timestamp?, to: Timestamp?, _ body: (EngagementEvent) throws -> Void) throws
    /// Daily aggregates, ordered by site, article and day.
    func dailyEngagement(site: String?) throws -> [DailyEngagement]
    /// Links between articles, ordered by site, source, target and kind.
    func links(site: String?) throws -> [ArticleLink]
    /// Counts per site and event type, readers and time span.
    func statistics() throws -> StoreStatistics
    /// Stores widget interactions, and each new click as a `click` engagement event on its article (id
    /// `click:<id>`), all in one transaction: idempotent by host site and id.
    /// - Parameter location: names each interaction in errors (`impressions[3]`).
    /// - Throws: ``ImportError/invalidField(_:field:value:reason:)`` naming `host`, `seed`, `site` or `article`
    ///   when a site or article is not stored; nothing is stored then.
    func record(
        _ interactions: [WidgetInteraction], location: @escaping (Int) -> SourceLocation
    ) throws -> InteractionsRecorded
    /// Impressions and clicks per placement and position, ordered by placement and position.
    func interactionSummary() throws -> [PlacementClicks]
    /// Gives a site a new slug and, optionally, a new display name; every record keeps pointing to it.
    /// - Throws: ``SiteError`` for an unknown site, an invalid slug, or a slug another site has.
    func renameSite(_ slug: String, to newSlug: String, name: String?) throws
    /// Deletes a site with everything of it, in one transaction: its articles (with their tags and links),
    /// events, daily counts, widget interactions, its rows of the stored model, and the readers no other site
    /// has.
    /// - Throws: ``SiteError/unknown(_:)``.
    @discardableResult
    func deleteSite(_ slug: String) throws -> SiteDeletion
}

/// What ``ArticleStore/record(_:location:)`` stored.
public struct InteractionsRecorded: Sendable, Equatable {
    /// Interactions new to the store, and those already stored (same host site and id).
    public var added = 0
    public var unchanged = 0
    /// The click events that were new, to fold into trending.
    public var clicks: [EngagementEvent] = []

    public init(added: Int = 0, unchanged: Int = 0, clicks: [EngagementEvent] = []) {
        self.added = added
        self.unchanged = unchanged
        self.clicks = clicks
    }
}

/// Impressions and clicks of one box position.
public struct PlacementClicks: Sendable, Equatable {
    public var placement: String
    public var position: Int
    public var impressions: Int
    public var clicks: Int

    public init(placement: String, position: Int, impressions: Int, clicks: Int) {
        self.placement = placement
        self.position = position
        self.impressions = impressions
        self.clicks = clicks
    }
}

/// What deleting a site removed.
public struct SiteDeletion: Sendable, Equatable {
    public var articles = 0
    public var events = 0
    public var readers = 0

    public init(articles: Int = 0, events: Int = 0, readers: Int = 0) {
        self.articles = articles
        self.events = events
        self.readers = readers
    }
}
