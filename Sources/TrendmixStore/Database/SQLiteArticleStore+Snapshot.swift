import GRDB
import GRDBSQLite
public import TrendmixCore

extension SQLiteArticleStore {
    /// Loads the catalogue (every site, article and tag) and the events and daily rows of `[from, to)` into
    /// a ``Snapshot``. Events are read in storage order with raw column access: 10M rows in seconds.
    public func snapshot(from: Timestamp?, to: Timestamp?) throws -> Snapshot {
        try writer.read { db in try readSnapshot(db, from: from, to: to) }
    }

    /// ``snapshot(from:to:)`` inside a read the caller holds.
    func readSnapshot(_ db: Database, from: Timestamp?, to: Timestamp?) throws -> Snapshot {
        do {
            var siteIndex: [Int64: Int32] = [:]
            var sites: [Site] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, slug, name, kind, base_url FROM site ORDER BY id") {
                siteIndex[row[0]] = Int32(sites.count)
                sites.append(Site(slug: row[1], name: row[2], kind: row[3], baseURL: row[4]))
            }
            var tags: [String] = []
            var tagKeys: [Int64] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM tag ORDER BY id") {
                tagKeys.append(row[0])
                tags.append(row[1])
            }
            let tagIDs = RowIDIndex(tagKeys)
            // Article tags in article order, read as the articles are: the two walk in step. Columns are read
            // straight from the statements, as for events: a catalogue of a million articles has millions of tags.
            var tagArticle: [Int64] = []
            var tagOf: [Int32] = []
            let tagRows = try db.makeStatement(
                sql: "SELECT article_id, tag_id FROM article_tag ORDER BY article_id, position")
            let tr = tagRows.sqliteStatement
            try Self.rows(tr, db) {
                guard let t = tagIDs[sqlite3_column_int64(tr, 1)] else { return }
                tagArticle.append(sqlite3_column_int64(tr, 0))
                tagOf.append(t)
            }
            var articles = Snapshot.Articles()
            var articleKeys: [Int64] = []
            let maxArticle = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM article") ?? 0
            var articleIndex = [Int32](repeating: -1, count: Int(maxArticle) + 1)
            let articleRows = try db.makeStatement(
                sql: """
                    SELECT id, site_id, external_id, title, url, published_at, expires_at, image_url, author, section,
                           description
                    FROM article ORDER BY id
                    """)
            let ar = articleRows.sqliteStatement
            var nextTag = 0
            try Self.rows(ar, db) {
                let id = sqlite3_column_int64(ar, 0)
                articleIndex[Int(id)] = Int32(articles.count)
                articleKeys.append(id)
                while nextTag < tagArticle.count, tagArticle[nextTag] < id { nextTag += 1 }
                let first = nextTag
                while nextTag < tagArticle.count, tagArticle[nextTag] == id { nextTag += 1 }
                articles.append(
                    site: siteIndex[sqlite3_column_int64(ar, 1)] ?? 0, externalID: Self.text(ar, 2) ?? "",
                    title: Self.text(ar, 3), url: Self.text(ar, 4),
                    publishedAt: sqlite3_column_type(ar, 5) == SQLITE_NULL ? nil : sqlite3_column_int64(ar, 5),
                    tags: tagOf[first..<nextTag],
                    expiresAt: sqlite3_column_type(ar, 6) == SQLITE_NULL ? nil : sqlite3_column_int64(ar, 6),
                    card: ArticleCard(
                        imageURL: Self.text(ar, 7), author: Self.text(ar, 8), section: Self.text(ar, 9),
                        description: Self.text(ar, 10)))
            }

            var readerIndex: [Int64: Int32] = [:]
            var readerIDs: [Int64] = []
            var sessionIndex: [String: Int32] = [:]
            var events = Snapshot.Events()
            let low = from?.milliseconds ?? Int64.min
            let high = to?.milliseconds ?? Int64.max
            let count = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM event WHERE occurred_at >= ? AND occurred_at < ?",
                arguments: [low, high])
            events.reserveCapacity(count ?? 0)
            let statement = try db.makeStatement(
                sql: """
                    SELECT article_id, reader_id, session, type, occurred_at, value FROM event
                    WHERE occurred_at >= ? AND occurred_at < ? ORDER BY id
                    """)
            try statement.setArguments([low, high])
            let raw = statement.sqliteStatement
            while true {
                let code = sqlite3_step(raw)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw Self.failure(code, db) }
                let article = articleIndex[Int(sqlite3_column_int64(raw, 0))]
                var reader: Int32 = -1
                if sqlite3_column_type(raw, 1) != SQLITE_NULL {
                    let id = sqlite3_column_int64(raw, 1)
                    if let known = readerIndex[id] {
                        reader = known
                    } else {
                        reader = Int32(readerIDs.count)
                        readerIndex[id] = reader
                        readerIDs.append(id)
                    }
                }
                var session: Int32 = -1
                if let text = sqlite3_column_text(raw, 2) {
                    let key = String(cString: text)
                    if let known = sessionIndex[key] {
                        session = known
                    } else {
                        session = Int32(sessionIndex.count)
                        sessionIndex[key] = session
                    }
                }
                guard let type = EventType(rawValue: Int(sqlite3_column_int64(raw, 3))) else {
                    throw StoreError.corrupt(reason: "unknown event type code \(sqlite3_column_int64(raw, 3))")
                }
                events.append(
                    article: article, reader: reader, session: session, type: type,
                    time: sqlite3_column_int64(raw, 4), value: sqlite3_column_double(raw, 5))
            }
            // External reader ids, in dense order.
            var names = [String](repeating: "", count: readerIDs.count)
            let readerCursor = try Row.fetchCursor(db, sql: "SELECT id, external_id FROM reader")
            while let row = try readerCursor.next() {
                if let dense = readerIndex[row[0]] { names[Int(dense)] = row[1] }
            }

            var daily = Snapshot.Daily()
            let lowDay = from.map { $0.day } ?? Int64.min
            let highDay = to.map { Timestamp(milliseconds: $0.milliseconds - 1).day } ?? Int64.max
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT article_id, day, views, votes, score, comments FROM daily_engagement
                    WHERE day >= ? AND day <= ? ORDER BY article_id, day
                    """, arguments: [lowDay, highDay])
            {
                let id: Int64 = row[0]
                daily.append(
                    article: articleIndex[Int(id)], day: row[1], views: row[2], votes: row[3], score: row[4],
                    comments: row[5])
            }
            var snapshot = Snapshot(
                sites: sites, articles: articles, tags: tags, readers: names, sessionCount: sessionIndex.count,
                events: events, daily: daily)
            snapshot.articleKeys = articleKeys
            snapshot.readerKeys = readerIDs
            return snapshot
        }
    }
}
