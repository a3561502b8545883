import Foundation
import Synchronization
public import TrendmixCore

/// The store on a PostgreSQL server: the same protocols, the same contract suites and the same answers as
/// ``SQLiteArticleStore``, for a publisher group whose servers share one database.
///
/// Opened with a `postgres://user@host:port/dbname` URL. Connections come from a small pool (one per thread
/// at work), each through libpq, PostgreSQL's own client library; a connection the server broke is dropped and
/// the next call opens a new one, so a store outlives a server restart. Failures to reach the server are
/// ``StoreError/unavailable(path:reason:)``, which a server answers with 503.
public final class PostgresStore: ArticleStore, Sendable {
    public let location: PostgresLocation
    /// Names this store object in the announcements of the events it stores, so that it skips its own.
    let instance = UUID().uuidString
    /// The channel on which stored events are announced.
    static let eventChannel = "trendmix_events"
    private let readOnly: Bool
    private let idle = Mutex<[PostgresConnection]>([])

    /// Connects and brings the schema up to date (or, `readOnly`, checks that it is).
    /// - Throws: ``StoreError`` naming host and port when the URL is wrong, the server unreachable, the login
    ///   refused, the database another application's or a newer Trendmix's.
    public init(url: String, readOnly: Bool = false) throws {
        location = try PostgresLocation(url)
        self.readOnly = readOnly
        let connection = try connect()
        try PostgresSchema.migrate(connection, readOnly: readOnly)
        idle.withLock { $0.append(connection) }
    }

    private func connect() throws -> PostgresConnection {
        let connection = try PostgresConnection(location)
        if readOnly { try connection.execute("SET default_transaction_read_only = on") }
        return connection
    }

    /// Runs `body` on a pooled connection. A connection the server broke is not returned to the pool, and the
    /// failure is ``StoreError/unavailable(path:reason:)``.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let pooled = idle.withLock { $0.popLast() }
        let connection: PostgresConnection
        do {
            connection = try pooled ?? connect()
        } catch StoreError.cannotOpen(_, let reason) {
            throw StoreError.unavailable(path: location.description, reason: reason)
        }
        defer { if connection.isHealthy { idle.withLock { $0.append(connection) } } }
        do {
            return try body(connection)
        } catch let error as PostgresError {
            if !connection.isHealthy || error.isConnectionFailure {
                throw StoreError.unavailable(path: location.description, reason: error.message)
            }
            if error.isDiskFull { throw StoreError.full(path: location.description) }
            throw error
        }
    }

    /// Runs `body` in a read-only transaction that sees one state of the database throughout.
    func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { c in
            try c.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(c) }
        }
    }

    public func importRecords(dryRun: Bool, _ body: (any ImportWriter) throws -> Void) throws -> ImportSummary {
        try withConnection { c in
            try c.transaction(rollback: dryRun) {
                let writer = try PostgresImportWriter(c)
                defer { writer.close() }
                do {
                    try body(writer)
                } catch {
                    // A batch still being written holds earlier records than the one that failed here: its
                    // error, if it has one, is the one to report.
                    try writer.settle()
                    throw error
                }
                try writer.finish()
                if !dryRun {
                    // Delivered when the transaction commits, and only then.
                    for payload in EventAnnouncement.payloads(writer.announced, from: instance) {
                        try c.query("SELECT pg_notify($1, $2)", [Self.eventChannel, payload])
                    }
                }
                var summary = writer.summary
                summary.dryRun = dryRun
                return summary
            }
        }
    }

    public func sites() throws -> [Site] {
        try withConnection { c in
            let rows = try c.query("SELECT slug, name, kind, base_url FROM site ORDER BY slug COLLATE \"C\"")
            return (0..<rows.count).map {
                Site(
                    slug: rows.string($0, 0) ?? "", name: rows.string($0, 1) ?? "", kind: rows.string($0, 2) ?? "",
                    baseURL: rows.string($0, 3) ?? "")
            }
        }
    }

    private static let articleColumns = """
        SELECT s.slug, a.external_id, a.url, a.title, a.published_at, a.language, a.view_count, a.score,
               (SELECT string_agg(t.name, '|' ORDER BY at.position) FROM article_tag at JOIN tag t ON t.id = at.tag_id
                WHERE at.article_id = a.id),
               a.image_url, a.author, a.section, a.description, a.expires_at
        FROM article a JOIN site s ON s.id = a.site_id
        """

    private static func articles(_ rows: PostgresRows) -> [Article] {
        (0..<rows.count).map { r in
            Article(
                site: rows.string(r, 0) ?? "", externalID: rows.string(r, 1) ?? "", url: rows.string(r, 2),
                title: rows.string(r, 3), publishedAt: rows.int64(r, 4).map { Timestamp(milliseconds: $0) },
                language: rows.string(r, 5),
                tags: rows.string(r, 8).map { $0.split(separator: "|").map(String.init) } ?? [],
                viewCount: rows.int64(r, 6), score: rows.int64(r, 7),
                card: ArticleCard(
                    imageURL: rows.string(r, 9), author: rows.string(r, 10), section: rows.string(r, 11),
                    description: rows.string(r, 12)),
                expiresAt: rows.int64(r, 13).map { Timestamp(milliseconds: $0) })
        }
    }

    public func article(site: String, externalID: String) throws -> Article? {
        try withConnection { c in
            Self.articles(
                try c.query(Self.articleColumns + " WHERE s.slug = $1 AND a.external_id = $2", [site, externalID])
            ).first
        }
    }

    public func article(site: String, url: String) throws -> Article? {
        try withConnection { c in
            Self.articles(
                try c.query(
                    Self.articleColumns + " WHERE s.slug = $1 AND a.url = $2 ORDER BY a.id LIMIT 1",
                    [site, URLNormalizer.normalize(url)])
            ).first
        }
    }

    public func articles(site: String) throws -> [Article] {
        try withConnection { c in
            Self.articles(
                try c.query(Self.articleColumns + " WHERE s.slug = $1 ORDER BY a.external_id COLLATE \"C\"", [site]))
        }
    }

    public func forEachEvent(from: Timestamp?, to: Timestamp?, _ body: (EngagementEvent) throws -> Void) throws {
        try read { c in
            try c.forEachBatch(
                """
                SELECT e.source_id, s.slug, a.external_id, r.external_id, e.session, e.type, e.occurred_at, e.value
                FROM event e JOIN site s ON s.id = e.site_id JOIN article a ON a.id = e.article_id
                LEFT JOIN reader r ON r.id = e.reader_id
                WHERE e.occurred_at >= \(from?.milliseconds ?? Int64.min) AND e.occurred_at < \(to?.milliseconds ?? Int64.max)
                ORDER BY e.occurred_at, e.id
                """
            ) { rows in
                for r in 0..<rows.count {
                    let code = rows.int(r, 5) ?? -1
                    guard let type = EventType(rawValue: code) else {
                        throw StoreError.corrupt(reason: "event type code \(code) is unknown")
                    }
                    try body(
                        EngagementEvent(
                            sourceID: rows.string(r, 0) ?? "", site: rows.string(r, 1) ?? "",
                            article: rows.string(r, 2) ?? "", reader: rows.string(r, 3), session: rows.string(r, 4),
                            type: type, time: Timestamp(milliseconds: rows.int64(r, 6) ?? 0),
                            value: rows.double(r, 7) ?? 0))
                }
            }
        }
    }

    public func dailyEngagement(site: String?) throws -> [DailyEngagement] {
        try withConnection { c in
            let rows = try c.query(
                """
                SELECT s.slug, a.external_id, d.day, d.views, d.votes, d.score, d.comments
                FROM daily_engagement d JOIN article a ON a.id = d.article_id JOIN site s ON s.id = a.site_id
                WHERE $1::text IS NULL OR s.slug = $1
                ORDER BY s.slug COLLATE "C", a.external_id COLLATE "C", d.day
                """, [site])
            return (0..<rows.count).map { r in
                DailyEngagement(
                    site: rows.string(r, 0) ?? "", article: rows.string(r, 1) ?? "", day: rows.int64(r, 2) ?? 0,
                    views: rows.int64(r, 3) ?? 0, votes: rows.int64(r, 4) ?? 0, score: rows.int64(r, 5) ?? 0,
                    comments: rows.int64(r, 6) ?? 0)
            }
        }
    }

    public func links(site: String?) throws -> [ArticleLink] {
        try withConnection { c in
            let rows = try c.query(
                """
                SELECT s.slug, a.external_id, b.external_id, l.kind
                FROM article_link l JOIN article a ON a.id = l.article_id JOIN article b ON b.id = l.related_article_id
                JOIN site s ON s.id = a.site_id
                WHERE $1::text IS NULL OR s.slug = $1
                ORDER BY s.slug COLLATE "C", a.external_id COLLATE "C", b.external_id COLLATE "C", l.kind COLLATE "C"
                """, [site])
            return (0..<rows.count).compactMap { r in
                ArticleLinkKind(rawValue: rows.string(r, 3) ?? "").map {
                    ArticleLink(
                        site: rows.string(r, 0) ?? "", from: rows.string(r, 1) ?? "", to: rows.string(r, 2) ?? "",
                        kind: $0)
                }
            }
        }
    }

    public func statistics() throws -> StoreStatistics {
        try read { c in
            var perSite: [Int64: StoreStatistics.SiteCounts] = [:]
            var order: [Int64] = []
            let sites = try c.query("SELECT id, slug, name, kind FROM site ORDER BY slug COLLATE \"C\"")
            for r in 0..<sites.count {
                let id = sites.int64(r, 0) ?? 0
                order.append(id)
                perSite[id] = StoreStatistics.SiteCounts(
                    slug: sites.string(r, 1) ?? "", name: sites.string(r, 2) ?? "", kind: sites.string(r, 3) ?? "",
                    articles: 0, events: 0, readers: 0, dailyRows: 0)
            }
            let articles = try c.query("SELECT site_id, count(*) FROM article GROUP BY site_id")
            for r in 0..<articles.count { perSite[articles.int64(r, 0) ?? 0]?.articles = articles.int(r, 1) ?? 0 }
            let events = try c.query(
                """
                SELECT site_id, count(*), count(DISTINCT reader_id), min(occurred_at), max(occurred_at)
                FROM event GROUP BY site_id
                """)
            for r in 0..<events.count {
                let id = events.int64(r, 0) ?? 0
                perSite[id]?.events = events.int(r, 1) ?? 0
                perSite[id]?.readers = events.int(r, 2) ?? 0
                perSite[id]?.firstEvent = events.int64(r, 3).map { Timestamp(milliseconds: $0) }
                perSite[id]?.lastEvent = events.int64(r, 4).map { Timestamp(milliseconds: $0) }
            }
            let daily = try c.query(
                """
                SELECT a.site_id, count(*) FROM daily_engagement d JOIN article a ON a.id = d.article_id
                GROUP BY a.site_id
                """)
            for r in 0..<daily.count { perSite[daily.int64(r, 0) ?? 0]?.dailyRows = daily.int(r, 1) ?? 0 }
            var byType: [String: Int] = [:]
            let types = try c.query(
                "SELECT t.name, count(*) FROM event e JOIN event_type t ON t.code = e.type GROUP BY t.name")
            for r in 0..<types.count { byType[types.string(r, 0) ?? ""] = types.int(r, 1) ?? 0 }
            let span = try c.query("SELECT min(occurred_at), max(occurred_at) FROM event")
            func count(_ sql: String) throws -> Int { try c.query(sql).int(0, 0) ?? 0 }
            let calibration = try c.query("SELECT calibration FROM model")
            return StoreStatistics(
                sites: order.compactMap { perSite[$0] }, eventsByType: byType,
                articles: try count("SELECT count(*) FROM article"),
                events: try count("SELECT count(*) FROM event"),
                readers: try count("SELECT count(*) FROM reader"),
                crossSiteReaders: try count(
                    """
                    SELECT count(*) FROM (SELECT reader_id FROM event WHERE reader_id IS NOT NULL
                    GROUP BY reader_id HAVING min(site_id) <> max(site_id)) x
                    """),
                tags: try count("SELECT count(*) FROM tag"),
                dailyRows: try count("SELECT count(*) FROM daily_engagement"),
                links: try count("SELECT count(*) FROM article_link"),
                firstEvent: span.int64(0, 0).map { Timestamp(milliseconds: $0) },
                lastEvent: span.int64(0, 1).map { Timestamp(milliseconds: $0) },
                calibration: try calibration.count > 0 ? calibration.string(0, 0).map(CalibrationJSON.decode) : nil)
        }
    }

    /// How many events are dated after `time`.
    public func eventCount(after time: Timestamp) throws -> Int {
        try withConnection { c in
            try c.query("SELECT count(*) FROM event WHERE occurred_at > $1", [time.milliseconds]).int(0, 0) ?? 0
        }
    }

    /// Every row of every table, as text, in a fixed order (the migrations' record and the events' id sequence
    /// aside): two stores with the same content give the same dump. Tests compare dumps before and after a
    /// failed import.
    public func dump() throws -> String {
        try read { c in
            var out = ""
            let tables = try c.query(
                """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND c.relname <> 'trendmix_migrations'
                ORDER BY c.relname
                """)
            for t in 0..<tables.count {
                let table = tables.string(t, 0) ?? ""
                out += "## \(table)\n"
                let rows = try c.query("SELECT x::text FROM \"\(table)\" x ORDER BY 1")
                for r in 0..<rows.count { out += (rows.string(r, 0) ?? "") + "\n" }
            }
            return out
        }
    }
}

extension PostgresStore {
    /// `url` naming the database `name` on the same server, with the same user and parameters.
    public static func url(_ url: String, database name: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let query = rest.firstIndex(of: "?")
        let authorityEnd = rest[..<(query ?? rest.endIndex)].firstIndex(of: "/") ?? query ?? rest.endIndex
        let tail = query.map { String(rest[$0...]) } ?? ""
        return String(url[..<scheme.upperBound]) + rest[..<authorityEnd] + "/" + name + tail
    }

    /// Creates the empty database `name` on the server `serverURL` names (connecting to its database as given),
    /// for tests and benchmarks; returns its URL.
    public static func createDatabase(_ name: String, on serverURL: String) throws -> String {
        let c = try PostgresConnection(try PostgresLocation(serverURL))
        try c.execute("CREATE DATABASE \"\(name)\" TEMPLATE template0 ENCODING 'UTF8'")
        return url(serverURL, database: name)
    }

    /// Drops the database `name` on the server `serverURL` names, closing its other connections.
    public static func dropDatabase(_ name: String, on serverURL: String) throws {
        let c = try PostgresConnection(try PostgresLocation(serverURL))
        try c.execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
    }
}
