public import TrendmixCore

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
    /// Runs each body as ``importRecords(dryRun:_:)`` would, in order, each stored whole or not at all: a body
    /// that throws leaves nothing and the others are kept. A store may commit them together (SQLite: one
    /// transaction, a savepoint each), which is how a server stores many small posted batches at the rate of
    /// one. The default runs each in a transaction of its own.
    /// - Returns: each body's summary or error, in order.
    /// - Throws: a store error when none could be stored (the database is busy, the disk full).
    func importGrouped(_ bodies: [(any ImportWriter) throws -> Void]) throws -> [Result<ImportSummary, any Error>]
    /// Every site, ordered by slug.
    func sites() throws -> [Site]
    /// One article with its tags, or `nil`.
    func article(site: String, externalID: String) throws -> Article?
    /// The article of `site` at `url` (compared normalised, ``URLNormalizer``), the first stored where several
    /// share it; nil when none.
    func article(site: String, url: String) throws -> Article?
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
    /// Every stored widget interaction, by host, time and id.
    func forEachInteraction(_ body: (WidgetInteraction) throws -> Void) throws
    /// Deletes every event, daily row and widget interaction dated before `cutoff` in one transaction, then gives
    /// the space back (SQLite: VACUUM; PostgreSQL: whole partitions dropped, the tables vacuumed). Articles,
    /// sites, readers and the stored model stay. With `dryRun`, only counts.
    func prune(before cutoff: Timestamp, dryRun: Bool) throws -> PruneSummary
    /// Impressions and clicks per group of `dimensions` (none: one row for everything), ordered by the groups.
    func interactionCounts(by dimensions: [InteractionDimension]) throws -> [InteractionCounts]
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

extension ArticleStore {
    public func importGrouped(
        _ bodies: [(any ImportWriter) throws -> Void]
    ) throws -> [Result<ImportSummary, any Error>] {
        bodies.map { body in Result { try importRecords(dryRun: false, body) } }
    }
}

extension ImportWriter {
    /// Stores widget interactions and their new clicks within this import, as ``ArticleStore/record(_:location:)``
    /// does in a transaction of its own.
    public func record(
        _ interactions: [WidgetInteraction], location: (Int) -> SourceLocation
    ) throws -> InteractionsRecorded {
        guard let writer = self as? any InteractionWriting else {
            preconditionFailure("every store's import writer stores interactions (InteractionWriting)")
        }
        return try writer.record(interactions, location: location)
    }
}
