import TrendmixCore

/// Writes one import's records inside the caller's transaction on one PostgreSQL connection, with the same
/// answers as ``SQLiteImportWriter``: ids already resolved are cached (sites, articles per site, readers, tags);
/// a record whose key was stored before this import counts as unchanged, one whose key this import already
/// wrote is a duplicate in the input and fails with its file and line, found by comparing ids against the largest
/// that existed when the import began.
final class PostgresImportWriter: ImportWriter {
    /// The connection, for the batch writes on ``worker`` (PostgresImportWriter+Bulk.swift); everything else goes
    /// through ``connection``, which waits for the batch in hand first.
    let link: PostgresConnection
    /// Writes gathered events a batch at a time while the import reads on (``flush()``).
    let worker = SerialWorker()
    /// What the batch writes counted, added to ``summary`` by ``settle()``.
    var batchCounts = ImportSummary()
    /// Counted by this type and its bulk extension (PostgresImportWriter+Bulk.swift).
    var summary = ImportSummary()
    /// (host, id) of the widget interactions this import stored (an import repeating one is refused).
    var importedInteractions: Set<String> = []

    var siteIDs: [String: Int64] = [:]
    private var lastSite: (slug: String, id: Int64) = ("", 0)
    private var sitesThisImport: [String: SourceLocation] = [:]
    /// Site id → article external id → article id, loaded per site on first use.
    private var articleIDs: [Int64: [String: Int64]] = [:]
    /// Reader external id → reader id, for the readers this import met (emptied when it grows past
    /// ``readerCacheLimit``: a reader met again is looked up again).
    var readerIDs: [String: Int64] = [:]
    private var tagIDs: [String: Int64] = [:]
    var dailyThisImport: [DailyKey: SourceLocation] = [:]
    /// The partitions of `event` known to exist (by name).
    private var partitions: Set<String> = []
    /// The bounds of the partition the last event went to (``ensurePartition(for:)``).
    private var lastPartition: Range<Int64> = 0..<0
    private let latestEventTime: Timestamp
    private let articleBaseline: Int64
    let eventBaseline: Int64
    /// Events gathered by ``appendEvent(_:at:)`` for the next bulk write, and where each came from.
    var pendingEvents: [PendingEvent] = []
    var pendingLocations: [SourceLocation] = []

    // The batch writes' own state (PostgresImportWriter+Bulk.swift): read and written on ``worker`` only, or on
    // the import's thread after ``settle()``: `link`, `readerIDs`, `batchCounts` and the four below.

    /// Whether this import's temporary tables exist (`event_stage`, `reader_stage`).
    var staged = false
    var readersStaged = false
    /// Whether the last batch written met ids stored before it: the next goes through the temporary table.
    var meetsStoredIDs = false
    /// How many batches went through the temporary table (for tests; read after ``finish()``).
    var stagedBatches = 0
    /// The events ``addEvent(_:at:)`` stored: what the import announces to the other servers
    /// (``PostgresStore/followEvents(_:trouble:)``).
    private(set) var announced: [EngagementEvent] = []
    /// Events gathered before a bulk write: enough to make each write's fixed statements cheap, few enough that
    /// the two batches in memory (one gathered, one being written) stay a few tens of megabytes. It doubles every
    /// ``batchesPerBulkSize`` batches up to ``largestBulkSize`` (``flush()``).
    var bulkSize = 100_000
    /// Batches handed to the worker so far (for tests; read after ``finish()``).
    var batches = 0
    let readerCacheLimit = 1_000_000

    struct DailyKey: Hashable {
        var article: Int64
        var day: Int64
    }

    init(_ connection: PostgresConnection) throws {
        self.link = connection
        latestEventTime = Timestamp.latestEventTime(clock: Timestamp.wallClock())
        articleBaseline = try connection.query("SELECT coalesce(max(id), 0) FROM article").int64(0, 0) ?? 0
        // The sequence only grows (a rolled-back import's ids are never given again): every event this import
        // stores has a larger id.
        eventBaseline = try Self.lastEventID(connection)
        let sites = try connection.query("SELECT slug, id FROM site")
        for r in 0..<sites.count { siteIDs[sites.string(r, 0) ?? ""] = sites.int64(r, 1) }
        let existing = try connection.query(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'event'::regclass
            """)
        for r in 0..<existing.count { partitions.insert(existing.string(r, 0) ?? "") }
    }

    deinit { worker.stop() }

    /// The connection, once the batch being written is (a batch write's error is thrown here).
    var connection: PostgresConnection {
        get throws {
            try settle()
            return link
        }
    }

    /// Waits for the batch being written, throws its error if it failed, and counts what it wrote.
    func settle() throws {
        try worker.wait()
        summary.events.added += batchCounts.events.added
        summary.events.unchanged += batchCounts.events.unchanged
        summary.readers.added += batchCounts.readers.added
        batchCounts = ImportSummary()
    }

    /// Completes the import: writes the events still gathered and waits for them.
    func finish() throws {
        try flush()
        try settle()
    }

    /// Waits for the batch being written, if any, keeping away from its outcome: before the transaction is rolled
    /// back, the connection must be idle.
    func close() { worker.stop() }

    func skip(_ reason: String, count: Int) {
        summary.skip(reason, count: count)
    }

    // MARK: Sites

    func upsertSite(_ site: Site, at location: SourceLocation) throws {
        if let first = sitesThisImport[site.slug] {
            throw ImportError.conflict(
                location, field: "slug", reason: "site '\(site.slug)' is listed twice (first at \(first))")
        }
        sitesThisImport[site.slug] = location
        if let id = siteIDs[site.slug] {
            let row = try connection.query("SELECT name, kind, base_url FROM site WHERE id = $1", [id])
            if row.count == 1, row.string(0, 0) == site.name, row.string(0, 1) == site.kind,
                row.string(0, 2) == site.baseURL
            {
                summary.sites.unchanged += 1
            } else {
                try connection.query(
                    "UPDATE site SET name = $1, kind = $2, base_url = $3 WHERE id = $4",
                    [site.name, site.kind, site.baseURL, id])
                summary.sites.updated += 1
            }
            return
        }
        let id = try connection.query(
            "INSERT INTO site(slug, name, kind, base_url) VALUES ($1, $2, $3, $4) RETURNING id",
            [site.slug, site.name, site.kind, site.baseURL]
        ).int64(0, 0)
        siteIDs[site.slug] = id
        summary.sites.added += 1
    }

    func claimSource(_ source: String, site slug: String, at location: SourceLocation) throws {
        let site = try siteID(slug, at: location)
        let stored = try connection.query("SELECT source FROM site_source WHERE site_id = $1", [site])
        if let stored = stored.count > 0 ? stored.string(0, 0) : nil {
            guard stored == source else {
                throw ImportError.conflict(
                    location, field: "site",
                    reason:
                        "site '\(slug)' holds the records of another source (\(stored)), whose ids mean other things; "
                        + "import \(source) as a site of its own, with a --site-slug no other source uses")
            }
            return
        }
        try connection.query("INSERT INTO site_source(site_id, source) VALUES ($1, $2)", [site, source])
    }

    func siteID(_ slug: String, at location: SourceLocation) throws -> Int64 {
        if slug == lastSite.slug { return lastSite.id }
        guard let id = siteIDs[slug] else {
            throw ImportError.invalidField(
                location, field: "site", value: slug,
                reason: "no such site is stored or imported; import the site first")
        }
        lastSite = (slug, id)
        return id
    }

    // MARK: Articles

    private func loadArticles(site: Int64) throws {
        guard articleIDs[site] == nil else { return }
        var ids: [String: Int64] = [:]
        let rows = try connection.query("SELECT external_id, id FROM article WHERE site_id = $1", [site])
        for r in 0..<rows.count { ids[rows.string(r, 0) ?? ""] = rows.int64(r, 1) }
        articleIDs[site] = ids
    }

    func hasArticle(site: String, externalID: String) throws -> Bool {
        guard let siteID = siteIDs[site] else { return false }
        try loadArticles(site: siteID)
        return articleIDs[siteID]?[externalID] != nil
    }

    func articleID(
        site: Int64, siteSlug: String, externalID: String, field: String, at location: SourceLocation
    ) throws -> Int64 {
        try loadArticles(site: site)
        guard let id = articleIDs[site]?[externalID] else {
            throw ImportError.invalidField(
                location, field: field, value: externalID,
                reason: "no article with this id on site '\(siteSlug)'; import the article first")
        }
        return id
    }

    func upsertArticle(_ article: Article, keepingOtherTags: Bool, at location: SourceLocation) throws {
        var article = article
        let site = try siteID(article.site, at: location)
        try loadArticles(site: site)
        let published = article.publishedAt?.milliseconds
        if let id = articleIDs[site]?[article.externalID] {
            if id > articleBaseline {
                throw ImportError.conflict(
                    location, field: "id",
                    reason: "article '\(article.externalID)' of site '\(article.site)' appears twice in this import")
            }
            let row = try connection.query(
                """
                SELECT url, title, published_at, language, view_count, score, image_url, author, section, description,
                       expires_at
                FROM article WHERE id = $1
                """, [id])
            let tagRows = try connection.query(
                """
                SELECT t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = $1
                ORDER BY at.position
                """, [id])
            let storedTags = (0..<tagRows.count).compactMap { tagRows.string($0, 0) }
            if keepingOtherTags {
                article.tags += storedTags.filter { !article.tags.contains($0) }
            }
            let same =
                row.count == 1 && row.string(0, 0) == article.url && row.string(0, 1) == article.title
                && row.int64(0, 2) == published && row.string(0, 3) == article.language
                && row.int64(0, 4) == article.viewCount && row.int64(0, 5) == article.score
                && row.string(0, 6) == article.card.imageURL && row.string(0, 7) == article.card.author
                && row.string(0, 8) == article.card.section && row.string(0, 9) == article.card.description
                && row.int64(0, 10) == article.expiresAt?.milliseconds
            if same && storedTags == article.tags {
                summary.articles.unchanged += 1
                return
            }
            try connection.query(
                """
                UPDATE article SET url = $1, title = $2, published_at = $3, language = $4, view_count = $5, score = $6,
                    image_url = $7, author = $8, section = $9, description = $10, expires_at = $11
                WHERE id = $12
                """,
                [
                    article.url, article.title, published, article.language, article.viewCount, article.score,
                    article.card.imageURL, article.card.author, article.card.section, article.card.description,
                    article.expiresAt?.milliseconds, id,
                ])
            if storedTags != article.tags {
                try connection.query("DELETE FROM article_tag WHERE article_id = $1", [id])
                try insertTags(article.tags, article: id)
            }
            summary.articles.updated += 1
            return
        }
        guard
            let id = try connection.run(
                "insert_article",
                """
                INSERT INTO article(
                    site_id, external_id, url, title, published_at, language, view_count, score, image_url, author,
                    section, description, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id
                """,
                [
                    site, article.externalID, article.url, article.title, published, article.language,
                    article.viewCount, article.score, article.card.imageURL, article.card.author,
                    article.card.section, article.card.description, article.expiresAt?.milliseconds,
                ]
            ).int64(0, 0)
        else { throw StoreError.corrupt(reason: "an inserted article has no id") }
        articleIDs[site, default: [:]][article.externalID] = id
        try insertTags(article.tags, article: id)
        summary.articles.added += 1
    }

    func insertTags(_ tags: [String], article: Int64, from first: Int = 0) throws {
        for (offset, name) in tags.enumerated() {
            let tag: Int64
            if let known = tagIDs[name] {
                tag = known
            } else {
                // One statement whether the tag is stored or not; `xmax = 0` tells a row this statement inserted.
                let row = try connection.run(
                    "upsert_tag",
                    """
                    INSERT INTO tag(name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name
                    RETURNING id, xmax = 0
                    """, [name])
                tag = row.int64(0, 0) ?? 0
                if row.bool(0, 1) == true { summary.tags.added += 1 }
                tagIDs[name] = tag
            }
            try connection.run(
                "insert_article_tag", "INSERT INTO article_tag(article_id, tag_id, position) VALUES ($1, $2, $3)",
                [article, tag, first + offset])
        }
    }

    // MARK: Events

    private func readerID(_ external: String) throws -> Int64 {
        if let id = readerIDs[external] { return id }
        let row = try connection.run(
            "upsert_reader",
            """
            INSERT INTO reader(external_id) VALUES ($1)
            ON CONFLICT (external_id) DO UPDATE SET external_id = excluded.external_id RETURNING id, xmax = 0
            """, [external])
        let id = row.int64(0, 0) ?? 0
        if row.bool(0, 1) == true { summary.readers.added += 1 }
        readerIDs[external] = id
        return id
    }

    /// Creates the month's partition of `event` unless it exists (inside the import's transaction: a rollback
    /// takes it away again).
    func ensurePartition(for time: Int64) throws {
        // Consecutive events nearly always fall in one month: its bounds are kept, its name is not made again.
        if lastPartition.contains(time) { return }
        let p = PostgresSchema.partition(of: time)
        if !partitions.contains(p.name) {
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS \(p.name) PARTITION OF event FOR VALUES FROM (\(p.from)) TO (\(p.to))")
            partitions.insert(p.name)
        }
        lastPartition = (Int64(p.from) ?? .min)..<(Int64(p.to) ?? .max)
    }

    func checkTime(_ event: EngagementEvent, at location: SourceLocation) throws {
        guard event.time <= latestEventTime else {
            throw ImportError.invalidField(
                location, field: "time", value: event.time.iso8601,
                reason:
                    "in the future: later than \(latestEventTime.iso8601), a day after this machine's clock "
                    + "(a build would compute every box for that moment)")
        }
    }

    @discardableResult
    func addEvent(_ event: EngagementEvent, at location: SourceLocation) throws -> Bool {
        // Gathered events come first: ids follow the order of the input.
        try flush()
        try settle()
        try checkTime(event, at: location)
        let site = try siteID(event.site, at: location)
        let article = try articleID(
            site: site, siteSlug: event.site, externalID: event.article, field: "article", at: location)
        let reader = try event.reader.map(readerID)
        try ensurePartition(for: event.time.milliseconds)
        let inserted = try connection.run(
            "insert_event",
            """
            WITH k AS (
                INSERT INTO event_key(site_id, source_id, occurred_at, event_id)
                VALUES ($1, $8, $6, nextval('event_id_seq')) ON CONFLICT DO NOTHING RETURNING event_id)
            INSERT INTO event(id, site_id, article_id, reader_id, session, type, occurred_at, value, source_id)
            SELECT event_id, $1, $2, $3, $4, $5, $6, $7, $8 FROM k
            """,
            [
                site, article, reader, event.session, event.type.rawValue, event.time.milliseconds, event.value,
                event.sourceID,
            ])
        if inserted.changed == 1 {
            summary.events.added += 1
            announced.append(event)
            return true
        }
        let existing =
            try connection.run(
                "find_event", "SELECT event_id FROM event_key WHERE site_id = $1 AND source_id = $2",
                [site, event.sourceID]
            ).int64(0, 0) ?? 0
        if existing > eventBaseline {
            throw ImportError.conflict(
                location, field: "id",
                reason: "event id '\(event.sourceID)' of site '\(event.site)' appears twice in this import")
        }
        summary.events.unchanged += 1
        return false
    }
}
