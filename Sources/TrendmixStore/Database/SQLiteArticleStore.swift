import CSQLiteTuning
import Foundation
import GRDB
public import TrendmixCore

/// The embedded store: one SQLite file (WAL mode, foreign keys on), or memory for tests.
public final class SQLiteArticleStore: ArticleStore {
    let writer: any DatabaseWriter
    /// The database file, or `nil` in memory.
    public let path: String?

    /// SQLite's allocation statistics cost a global mutex per allocation (5 % of a bulk import); Trendmix
    /// reads none of them. Runs once, before the first database is opened.
    private static let processSetup: Void = {
        _ = trendmix_sqlite_disable_memstatus()
    }()

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// A file that holds another application's tables, or that a newer Trendmix wrote (a migration this version
    /// does not know), is refused before anything is written to it: no table is added, the journal mode is not
    /// changed. With `readOnly`, nothing is ever written (no migration, no journal mode change): the commands
    /// that only read open it so, and a read-only file or folder is readable.
    /// - Throws: ``StoreError`` when the file cannot be opened, is not a Trendmix database, was written by a
    ///   newer Trendmix, or (read-only) needs a migration first.
    public init(path: String, readOnly: Bool = false) throws {
        Self.processSetup
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = Self.busyMode
        configuration.readonly = readOnly
        if !readOnly {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
                    isDirectory.boolValue
                else {
                    throw StoreError.cannotOpen(path: path, reason: "the folder \(directory) does not exist")
                }
            }
            try Self.inspect(path)
            if readOnly {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                guard try queue.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
                    throw StoreError.cannotOpen(
                        path: path,
                        reason:
                            "written by an earlier Trendmix: its schema needs an upgrade, which a command that writes "
                            + "(import, build) makes")
                }
                writer = queue
            } else {
                let pool = try DatabasePool(path: path, configuration: configuration)
                writer = pool
                try Schema.migrator.migrate(pool)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// How long a statement waits for another connection's lock: about 10 s, trying again every millisecond.
    /// SQLite's own timeout sleeps longer and longer between tries (up to 100 ms), so a server's small write
    /// waiting behind a build that commits its model in short transactions one after the other almost never
    /// caught the lock between two of them: posted events waited the whole build (issue 23). With tries a
    /// millisecond apart, and the build pausing as long between its transactions, it waits one transaction.
    static let busyMode = Database.BusyMode.callback { tries in
        guard tries < busyTries else { return false }
        usleep(1_000)
        return true
    }
    /// Tries of ``busyMode`` before "busy": 10 s of 1 ms sleeps, more with the tries' own time.
    static let busyTries = 10_000

    /// Refuses, before anything is written, a file that is not a Trendmix database or that a newer Trendmix wrote.
    /// A missing or empty file is a new database.
    private static func inspect(_ path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        // A writer's commit or checkpoint can hold a lock a first read needs for a moment: wait, as every
        // connection does, rather than fail with "database is locked" (the fault suite's readers during an import).
        configuration.busyMode = busyMode
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
        try queue.read { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            guard !tables.isEmpty else { return }
            let migrator = Schema.migrator
            let ours = tables.contains("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
            guard let first = migrator.migrations.first, ours.contains(first) else {
                let shown = tables.prefix(4).joined(separator: ", ") + (tables.count > 4 ? ", …" : "")
                throw StoreError.notTrendmix(path: path, tables: shown)
            }
            let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                .filter { !migrator.migrations.contains($0) }
            if !unknown.isEmpty { throw StoreError.newerVersion(path: path, migrations: unknown) }
        }
    }

    /// An empty store in memory, for tests and dry runs.
    public init() throws {
        Self.processSetup
        path = nil
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        writer = queue
        try Schema.migrator.migrate(queue)
    }

    public func sites() throws -> [Site] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT slug, name, kind, base_url FROM site ORDER BY slug").map {
                Site(slug: $0[0], name: $0[1], kind: $0[2], baseURL: $0[3])
            }
        }
    }

    private static let articleColumns = """
        SELECT s.slug, a.external_id, a.url, a.title, a.published_at, a.language, a.view_count, a.score,
               (SELECT group_concat(name, '|') FROM (SELECT t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id
                 WHERE at.article_id = a.id ORDER BY at.position)),
               a.image_url, a.author, a.section, a.description, a.expires_at
        FROM article a JOIN site s ON s.id = a.site_id
        """

    private static func article(_ row: Row) -> Article {
        let tags: String? = row[8]
        return Article(
            site: row[0], externalID: row[1], url: row[2], title: row[3],
            publishedAt: (row[4] as Int64?).map { Timestamp(milliseconds: $0) }, language: row[5],
            tags: tags.map { $0.split(separator: "|").map(String.init) } ?? [], viewCount: row[6], score: row[7],
            card: ArticleCard(imageURL: row[9], author: row[10], section: row[11], description: row[12]),
            expiresAt: (row[13] as Int64?).map { Timestamp(milliseconds: $0) })
    }

    public func article(site: String, externalID: String) throws -> Article? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: Self.articleColumns + " WHERE s.slug = ? AND a.external_id = ?",
                arguments: [site, externalID]
            ).map(Self.article)
        }
    }

    public func article(site: String, url: String) throws -> Article? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: Self.articleColumns + " WHERE s.slug = ? AND a.url = ? ORDER BY a.id LIMIT 1",
                arguments: [site, URLNormalizer.normalize(url)]
            ).map(Self.article)
        }
    }

    public func articles(site: String) throws -> [Article] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: Self.articleColumns + " WHERE s.slug = ? ORDER BY a.external_id", arguments: [site]
            ).map(Self.article)
        }
    }

    public func forEachEvent(from: Timestamp?, to: Timestamp?, _ body: (EngagementEvent) throws -> Void) throws {
        try writer.read { db in
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.source_id, s.slug, a.external_id, r.external_id, e.session, e.type, e.occurred_at, e.value
                    FROM event e JOIN site s ON s.id = e.site_id JOIN article a ON a.id = e.article_id
                    LEFT JOIN reader r ON r.id = e.reader_id
                    WHERE e.occurred_at >= ? AND e.occurred_at < ?
                    ORDER BY e.occurred_at, e.id
                    """,
                arguments: [from?.milliseconds ?? Int64.min, to?.milliseconds ?? Int64.max])
            while let row = try cursor.next() {
                let code: Int = row[5]
                guard let type = EventType(rawValue: code) else {
                    throw StoreError.corrupt(reason: "event type code \(code) is unknown")
                }
                try body(
                    EngagementEvent(
                        sourceID: row[0], site: row[1], article: row[2], reader: row[3], session: row[4],
                        type: type, time: Timestamp(milliseconds: row[6]), value: row[7]))
            }
        }
    }

    public func dailyEngagement(site: String?) throws -> [DailyEngagement] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.slug, a.external_id, d.day, d.views, d.votes, d.score, d.comments
                    FROM daily_engagement d JOIN article a ON a.id = d.article_id JOIN site s ON s.id = a.site_id
                    WHERE ?1 IS NULL OR s.slug = ?1
                    ORDER BY s.slug, a.external_id, d.day
                    """, arguments: [site]
            ).map {
                DailyEngagement(
                    site: $0[0], article: $0[1], day: $0[2], views: $0[3], votes: $0[4], score: $0[5], comments: $0[6])
            }
        }
    }

    public func links(site: String?) throws -> [ArticleLink] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.slug, a.external_id, b.external_id, l.kind
                    FROM article_link l JOIN article a ON a.id = l.article_id JOIN article b ON b.id = l.related_article_id
                    JOIN site s ON s.id = a.site_id
                    WHERE ?1 IS NULL OR s.slug = ?1
                    ORDER BY s.slug, a.external_id, b.external_id, l.kind
                    """, arguments: [site]
            ).compactMap { row in
                ArticleLinkKind(rawValue: row[3]).map { ArticleLink(site: row[0], from: row[1], to: row[2], kind: $0) }
            }
        }
    }

    public func statistics() throws -> StoreStatistics {
        try writer.read { db in
            var perSite: [Int64: StoreStatistics.SiteCounts] = [:]
            var order: [Int64] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, slug, name, kind FROM site ORDER BY slug") {
                let id: Int64 = row[0]
                order.append(id)
                perSite[id] = StoreStatistics.SiteCounts(
                    slug: row[1], name: row[2], kind: row[3], articles: 0, events: 0, readers: 0, dailyRows: 0)
            }
            for row in try Row.fetchAll(db, sql: "SELECT site_id, count(*) FROM article GROUP BY site_id") {
                perSite[row[0]]?.articles = row[1]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT site_id, count(*), count(DISTINCT reader_id), min(occurred_at), max(occurred_at)
                    FROM event GROUP BY site_id
                    """)
            {
                let id: Int64 = row[0]
                perSite[id]?.events = row[1]
                perSite[id]?.readers = row[2]
                perSite[id]?.firstEvent = (row[3] as Int64?).map { Timestamp(milliseconds: $0) }
                perSite[id]?.lastEvent = (row[4] as Int64?).map { Timestamp(milliseconds: $0) }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT a.site_id, count(*) FROM daily_engagement d JOIN article a ON a.id = d.article_id
                    GROUP BY a.site_id
                    """)
            {
                perSite[row[0]]?.dailyRows = row[1]
            }
            var byType: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT t.name, count(*) FROM event e JOIN event_type t ON t.code = e.type GROUP BY t.name")
            {
                byType[row[0]] = row[1]
            }
            let sites = order.compactMap { perSite[$0] }
            let span = try Row.fetchOne(db, sql: "SELECT min(occurred_at), max(occurred_at) FROM event")
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return StoreStatistics(
                sites: sites, eventsByType: byType,
                articles: try count("SELECT count(*) FROM article"),
                events: try count("SELECT count(*) FROM event"),
                readers: try count("SELECT count(*) FROM reader"),
                crossSiteReaders: try count(
                    """
                    SELECT count(*) FROM (SELECT reader_id FROM event WHERE reader_id IS NOT NULL
                    GROUP BY reader_id HAVING min(site_id) <> max(site_id))
                    """),
                tags: try count("SELECT count(*) FROM tag"),
                dailyRows: try count("SELECT count(*) FROM daily_engagement"),
                links: try count("SELECT count(*) FROM article_link"),
                firstEvent: (span?[0] as Int64?).map { Timestamp(milliseconds: $0) },
                lastEvent: (span?[1] as Int64?).map { Timestamp(milliseconds: $0) },
                calibration: try (String.fetchOne(db, sql: "SELECT calibration FROM model")).map(
                    CalibrationJSON.decode))
        }
    }

    /// How many events are dated after `time`.
    public func eventCount(after time: Timestamp) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM event WHERE occurred_at > ?", arguments: [time.milliseconds])
                ?? 0
        }
    }

    /// The names of a table's indexes, sorted (SQLite's automatic ones included).
    public func indexNames(table: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name",
                arguments: [table])
        }
    }

    /// Every row of every table, as text, in a fixed order: two stores with the same content give the same
    /// dump. Tests compare dumps before and after a failed import.
    public func dump() throws -> String {
        try writer.read { db in
            var out = ""
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            for table in tables {
                out += "## \(table)\n"
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\"\(table)\")").count
                let order = (1...max(columns, 1)).map(String.init).joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY \(order)") {
                    out += row.description + "\n"
                }
            }
            return out
        }
    }
}
