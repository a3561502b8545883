public import TrendmixCore

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
    /// Adds an event as ``addEvent(_:at:)`` does, without saying whether it was new: a store may gather such
    /// events and write them in bulk (the PostgreSQL store copies them in), so an error about one (an id repeated
    /// within the import) can come from a later call or from the end of the import, still naming its file and
    /// line. Importers use this; whoever needs the answer (a server storing a posted event) calls
    /// ``addEvent(_:at:)``, which writes what was gathered first.
    func appendEvent(_ event: EngagementEvent, at location: SourceLocation) throws
    /// Stores the daily counts of one article, replacing counts stored earlier for that day.
    func setDaily(_ daily: DailyEngagement, at location: SourceLocation) throws
    /// Adds one tag to an article's tags unless it has it already (MovieLens user tags arrive after the movie).
    func addTag(_ tag: String, site: String, article: String, at location: SourceLocation) throws
    /// Records a link from one article to another on the same site.
    func addLink(site: String, from: String, to: String, kind: ArticleLinkKind, at location: SourceLocation) throws
    /// Stores one widget impression or click as an import carries it (the canonical `impressions` file), without
    /// the click's engagement event, which an export writes to `events` itself.
    /// - Throws: ``ImportError/invalidField(_:field:value:reason:)`` for an unknown host, seed, site or article;
    ///   ``ImportError/conflict(_:field:reason:)`` when the import repeats a (host, id).
    func recordInteraction(_ interaction: WidgetInteraction, at location: SourceLocation) throws
    /// Whether the article is stored or already imported by this import.
    func hasArticle(site: String, externalID: String) throws -> Bool
    /// Counts an input record passed over on purpose.
    func skip(_ reason: String, count: Int)
    /// What the import has done so far.
    var summary: ImportSummary { get }
}

extension ImportWriter {
    public func skip(_ reason: String) { skip(reason, count: 1) }

    /// Writes the event at once.
    public func appendEvent(_ event: EngagementEvent, at location: SourceLocation) throws {
        try addEvent(event, at: location)
    }

    /// Adds or updates an article, replacing its tags.
    public func upsertArticle(_ article: Article, at location: SourceLocation) throws {
        try upsertArticle(article, keepingOtherTags: false, at: location)
    }
}
