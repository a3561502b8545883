import GRDB
import GRDBSQLite
import TrendmixCore

/// Writes one import's records with prepared statements inside the caller's transaction.
///
/// Ids already resolved are cached (sites, articles per site, readers, tags), so an event costs one
/// `INSERT OR IGNORE` and no look-ups. A record whose key was stored *before* this import counts as
/// unchanged (idempotent re-import); one whose key this import already wrote is a duplicate in the input
/// and fails, found by comparing row ids against the largest id that existed when the import began.
final class SQLiteImportWriter: ImportWriter {
    let db: Database
    var summary = ImportSummary()
    /// (host, id) of the widget interactions this import stored (an import repeating one is refused).
    var importedInteractions: Set<String> = []

    private var siteIDs: [String: Int64] = [:]
    private var lastSite: (slug: String, id: Int64) = ("", 0)
    private var sitesThisImport: [String: SourceLocation] = [:]
    /// Site id → article external id → article id, loaded per site on first use.
    private var articleIDs: [Int64: [String: Int64]] = [:]
    private var readerIDs: [String: Int64] = [:]
    private var tagIDs: [String: Int64] = [:]
    var dailyThisImport: [DailyKey: SourceLocation] = [:]
    /// Events dated later than this (the clock plus ``Timestamp/futureTolerance``) are refused.
    private let latestEventTime: Timestamp
    private let articleBaseline: Int64
    private let eventBaseline: Int64
    /// Events added before the secondary event indexes are dropped for the rest of the import.
    private let bulkThreshold: Int
    /// The SQL of the secondary event indexes dropped for a bulk import, to build them again at its end.
    private var droppedEventIndexes: [String] = []

    private let insertEvent: Statement
    private let findEvent: Statement
    private let findReader: Statement
    private let insertReader: Statement

    struct DailyKey: Hashable {
        var article: Int64
        var day: Int64
    }

    init(db: Database) throws {
        self.db = db
        latestEventTime = Timestamp.latestEventTime(clock: Timestamp.wallClock())
        articleBaseline = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM article") ?? 0
        eventBaseline = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM event") ?? 0
        // Rebuilding costs a sort of the whole table, so it pays only when the import adds a good share of it.
        bulkThreshold = max(100_000, Int(eventBaseline / 2))
        for row in try Row.fetchAll(db, sql: "SELECT slug, id FROM site") {
            siteIDs[row[0]] = row[1]
        }
        insertEvent = try db.makeStatement(
            sql: """
                INSERT OR IGNORE INTO event(site_id, article_id, reader_id, session, type, occurred_at, value, source_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        findEvent = try db.makeStatement(sql: "SELECT id FROM event WHERE site_id = ? AND source_id = ?")
        findReader = try db.makeStatement(sql: "SELECT id FROM reader WHERE external_id = ?")
        insertReader = try db.makeStatement(sql: "INSERT INTO reader(external_id) VALUES (?)")
    }

    /// Completes the import: builds the event indexes again if a bulk import dropped them.
    func finish() throws {
        for sql in droppedEventIndexes { try db.execute(sql: sql) }
        droppedEventIndexes = []
    }

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
            let row = try Row.fetchOne(db, sql: "SELECT name, kind, base_url FROM site WHERE id = ?", arguments: [id])
            if let row, row[0] == site.name, row[1] == site.kind, row[2] == site.baseURL {
                summary.sites.unchanged += 1
            } else {
                try db.execute(
                    sql: "UPDATE site SET name = ?, kind = ?, base_url = ? WHERE id = ?",
                    arguments: [site.name, site.kind, site.baseURL, id])
                summary.sites.updated += 1
            }
            return
        }
        try db.execute(
            sql: "INSERT INTO site(slug, name, kind, base_url) VALUES (?, ?, ?, ?)",
            arguments: [site.slug, site.name, site.kind, site.baseURL])
        siteIDs[site.slug] = db.lastInsertedRowID
        summary.sites.added += 1
    }

    func claimSource(_ source: String, site slug: String, at location: SourceLocation) throws {
        let site = try siteID(slug, at: location)
        if let stored = try String.fetchOne(
            db, sql: "SELECT source FROM site_source WHERE site_id = ?", arguments: [site])
        {
            guard stored == source else {
                throw ImportError.conflict(
                    location, field: "site",
                    reason:
                        "site '\(slug)' holds the records of another source (\(stored)), whose ids mean other things; "
                        + "import \(source) as a site of its own, with a --site-slug no other source uses")
            }
            return
        }
        try db.execute(sql: "INSERT INTO site_source(site_id, source) VALUES (?, ?)", arguments: [site, source])
    }

    func siteID(_ slug: String, at location: SourceLocation) throws -> Int64 {
        // Consecutive records nearly always name the same site.
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
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT external_id, id FROM article WHERE site_id = ?", arguments: [site])
        while let row = try cursor.next() {
            ids[row[0]] = row[1]
        }
        articleIDs[site] = ids
    }

    func hasArticle(site: String, externalID: String) throws -> Bool {
        guard let siteID = siteIDs[site] else { return false }
        try loadArticles(site: siteID)
        return articleIDs[siteID]?[externalID] != nil
    }

    func articleID(
        site: Int64, siteSlug: String, externalID: String, field: String, at location: SourceLocation
    )
        throws -> Int64
    {
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
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT url, title, published_at, language, view_count, score, image_url, author, section,
                           description, expires_at
                    FROM article WHERE id = ?
                    """,
                arguments: [id])
            let storedTags = try String.fetchAll(
                db,
                sql:
                    "SELECT t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position",
                arguments: [id])
            if keepingOtherTags {
                article.tags += storedTags.filter { !article.tags.contains($0) }
            }
            let same = row.map { Self.stored($0, equals: article, published: published) } ?? false
            if same && storedTags == article.tags {
                summary.articles.unchanged += 1
                return
            }
            try db.execute(
                sql: """
                    UPDATE article SET url = ?, title = ?, published_at = ?, language = ?, view_count = ?, score = ?,
                        image_url = ?, author = ?, section = ?, description = ?, expires_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    article.url, article.title, published, article.language, article.viewCount, article.score,
                    article.card.imageURL, article.card.author, article.card.section, article.card.description,
                    article.expiresAt?.milliseconds, id,
                ])
            if storedTags != article.tags {
                try db.execute(sql: "DELETE FROM article_tag WHERE article_id = ?", arguments: [id])
                try insertTags(article.tags, article: id)
            }
            summary.articles.updated += 1
            return
        }
        try db.execute(
            sql: """
                INSERT INTO article(
                    site_id, external_id, url, title, published_at, language, view_count, score, image_url, author,
                    section, description, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                site, article.externalID, article.url, article.title, published, article.language, article.viewCount,
                article.score, article.card.imageURL, article.card.author, article.card.section,
                article.card.description, article.expiresAt?.milliseconds,
            ])
        let id = db.lastInsertedRowID
        articleIDs[site, default: [:]][article.externalID] = id
        try insertTags(article.tags, article: id)
        summary.articles.added += 1
    }

    /// Whether a stored article row (url, title, published_at, language, view_count, score, image_url, author,
    /// section, description, expires_at) holds `article`'s values.
    private static func stored(_ row: Row, equals article: Article, published: Int64?) -> Bool {
        let text: [String?] = [row[0], row[1], row[3], row[6], row[7], row[8], row[9]]
        let numbers: [Int64?] = [row[2], row[4], row[5], row[10]]
        let card = article.card
        return text == [
            article.url, article.title, article.language, card.imageURL, card.author, card.section, card.description,
        ]
            && numbers == [published, article.viewCount, article.score, article.expiresAt?.milliseconds]
    }

    func insertTags(_ tags: [String], article: Int64, from first: Int = 0) throws {
        for (offset, name) in tags.enumerated() {
            let position = first + offset
            let tag: Int64
            if let known = tagIDs[name] {
                tag = known
            } else if let stored = try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [name]) {
                tag = stored
                tagIDs[name] = stored
            } else {
                try db.execute(sql: "INSERT INTO tag(name) VALUES (?)", arguments: [name])
                tag = db.lastInsertedRowID
                tagIDs[name] = tag
                summary.tags.added += 1
            }
            try db.execute(
                sql: "INSERT INTO article_tag(article_id, tag_id, position) VALUES (?, ?, ?)",
                arguments: [article, tag, position])
        }
    }

    // MARK: Events

    private func readerID(_ external: String) throws -> Int64 {
        if let id = readerIDs[external] { return id }
        let id: Int64
        if let stored = try Int64.fetchOne(findReader, arguments: [external]) {
            id = stored
        } else {
            try insertReader.execute(arguments: [external])
            id = db.lastInsertedRowID
            summary.readers.added += 1
        }
        readerIDs[external] = id
        return id
    }

    @discardableResult
    func addEvent(_ event: EngagementEvent, at location: SourceLocation) throws -> Bool {
        guard event.time <= latestEventTime else {
            throw ImportError.invalidField(
                location, field: "time", value: event.time.iso8601,
                reason:
                    "in the future: later than \(latestEventTime.iso8601), a day after this machine's clock "
                    + "(a build would compute every box for that moment)")
        }
        let site = try siteID(event.site, at: location)
        let article = try articleID(
            site: site, siteSlug: event.site, externalID: event.article, field: "article", at: location)
        let reader = try event.reader.map(readerID)
        let statement = insertEvent.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, site)
        sqlite3_bind_int64(statement, 2, article)
        if let reader { sqlite3_bind_int64(statement, 3, reader) } else { sqlite3_bind_null(statement, 3) }
        if let session = event.session { bindText(statement, 4, session) } else { sqlite3_bind_null(statement, 4) }
        sqlite3_bind_int64(statement, 5, Int64(event.type.rawValue))
        sqlite3_bind_int64(statement, 6, event.time.milliseconds)
        sqlite3_bind_double(statement, 7, event.value)
        bindText(statement, 8, event.sourceID)
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        if sqlite3_changes(db.sqliteConnection) == 1 {
            summary.events.added += 1
            if summary.events.added == bulkThreshold { try dropEventIndexes() }
            return true
        }
        let existing = try Int64.fetchOne(findEvent, arguments: [site, event.sourceID]) ?? 0
        if existing > eventBaseline {
            throw ImportError.conflict(
                location, field: "id",
                reason: "event id '\(event.sourceID)' of site '\(event.site)' appears twice in this import")
        }
        summary.events.unchanged += 1
        return false
    }

    /// Drops the event table's secondary indexes for the rest of a bulk import (a sort at the end is much
    /// faster than millions of random B-tree inserts). Inside the transaction, so a rollback restores them.
    private func dropEventIndexes() throws {
        let indexes = try Row.fetchAll(
            db,
            sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event' AND sql IS NOT NULL")
        for index in indexes {
            let name: String = index[0]
            try db.execute(sql: "DROP INDEX \"\(name)\"")
            droppedEventIndexes.append(index[1])
        }
    }
}

// SQLite copies the bytes (SQLITE_TRANSIENT), so the string's buffer need only live for the call.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

@inline(__always)
private func bindText(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        // An empty buffer may have no address, which SQLite would bind as NULL rather than ''.
        if let base = bytes.baseAddress {
            _ = sqlite3_bind_text(statement, index, base, Int32(bytes.count), transient)
        } else {
            _ = sqlite3_bind_text(statement, index, "", 0, transient)
        }
    }
}
