public import TrendmixCore

extension PostgresStore {
    /// Loads the catalogue and the events and daily rows of `[from, to)` into a ``Snapshot``, in one
    /// repeatable-read transaction, in the same order as ``SQLiteArticleStore/snapshot(from:to:)``: two stores
    /// with the same history give the same snapshot. Events are read through COPY, one stream; the rest through
    /// cursors, in batches.
    public func snapshot(from: Timestamp?, to: Timestamp?) throws -> Snapshot {
        try read { c in try readSnapshot(c, from: from, to: to) }
    }

    /// ``snapshot(from:to:)`` inside a transaction the caller holds.
    func readSnapshot(_ c: PostgresConnection, from: Timestamp?, to: Timestamp?) throws -> Snapshot {
        var siteIndex: [Int64: Int32] = [:]
        var sites: [Site] = []
        let siteRows = try c.query("SELECT id, slug, name, kind, base_url FROM site ORDER BY id")
        for r in 0..<siteRows.count {
            siteIndex[siteRows.int64(r, 0) ?? 0] = Int32(sites.count)
            sites.append(
                Site(
                    slug: siteRows.string(r, 1) ?? "", name: siteRows.string(r, 2) ?? "",
                    kind: siteRows.string(r, 3) ?? "", baseURL: siteRows.string(r, 4) ?? ""))
        }
        var tags: [String] = []
        var tagKeys: [Int64] = []
        let tagRows = try c.query("SELECT id, name FROM tag ORDER BY id")
        for r in 0..<tagRows.count {
            tagKeys.append(tagRows.int64(r, 0) ?? 0)
            tags.append(tagRows.string(r, 1) ?? "")
        }
        let tagIDs = RowIDIndex(tagKeys)
        var tagArticle: [Int64] = []
        var tagOf: [Int32] = []
        try c.forEachBatch("SELECT article_id, tag_id FROM article_tag ORDER BY article_id, position") { rows in
            for r in 0..<rows.count {
                guard let t = tagIDs[rows.int64(r, 1) ?? 0] else { continue }
                tagArticle.append(rows.int64(r, 0) ?? 0)
                tagOf.append(t)
            }
        }
        var articles = Snapshot.Articles()
        var articleKeys: [Int64] = []
        var nextTag = 0
        try c.forEachBatch(
            """
            SELECT id, site_id, external_id, title, url, published_at, expires_at, image_url, author, section,
                   description
            FROM article ORDER BY id
            """
        ) { rows in
            for r in 0..<rows.count {
                let id = rows.int64(r, 0) ?? 0
                articleKeys.append(id)
                while nextTag < tagArticle.count, tagArticle[nextTag] < id { nextTag += 1 }
                let first = nextTag
                while nextTag < tagArticle.count, tagArticle[nextTag] == id { nextTag += 1 }
                articles.append(
                    site: siteIndex[rows.int64(r, 1) ?? 0] ?? 0, externalID: rows.string(r, 2) ?? "",
                    title: rows.string(r, 3), url: rows.string(r, 4), publishedAt: rows.int64(r, 5),
                    tags: tagOf[first..<nextTag], expiresAt: rows.int64(r, 6),
                    card: ArticleCard(
                        imageURL: rows.string(r, 7), author: rows.string(r, 8), section: rows.string(r, 9),
                        description: rows.string(r, 10)))
            }
        }
        let articleIndex = RowIDIndex(articleKeys)

        var readerIndex: [Int64: Int32] = [:]
        var readerIDs: [Int64] = []
        var sessionIndex: [String: Int32] = [:]
        var events = Snapshot.Events()
        let low = from?.milliseconds ?? Int64.min
        let high = to?.milliseconds ?? Int64.max
        let window = "occurred_at >= \(low) AND occurred_at < \(high)"
        events.reserveCapacity(try c.query("SELECT count(*) FROM event WHERE \(window)").int(0, 0) ?? 0)
        try c.forEachCopiedRow(
            "SELECT article_id, reader_id, session, type, occurred_at, value FROM event WHERE \(window) ORDER BY id"
        ) { row in
            var reader: Int32 = -1
            if let id = row.int64(1) {
                if let known = readerIndex[id] {
                    reader = known
                } else {
                    reader = Int32(readerIDs.count)
                    readerIndex[id] = reader
                    readerIDs.append(id)
                }
            }
            var session: Int32 = -1
            if let key = row.string(2) {
                if let known = sessionIndex[key] {
                    session = known
                } else {
                    session = Int32(sessionIndex.count)
                    sessionIndex[key] = session
                }
            }
            let code = row.int(3) ?? -1
            guard let type = EventType(rawValue: code) else {
                throw StoreError.corrupt(reason: "unknown event type code \(code)")
            }
            events.append(
                article: articleIndex[row.int64(0) ?? 0] ?? -1, reader: reader, session: session, type: type,
                time: row.int64(4) ?? 0, value: row.double(5) ?? 0)
        }
        var names = [String](repeating: "", count: readerIDs.count)
        if !readerIDs.isEmpty {
            try c.forEachBatch("SELECT id, external_id FROM reader") { rows in
                for r in 0..<rows.count {
                    if let dense = readerIndex[rows.int64(r, 0) ?? 0] { names[Int(dense)] = rows.string(r, 1) ?? "" }
                }
            }
        }

        var daily = Snapshot.Daily()
        let lowDay = from.map { $0.day } ?? Int64.min
        let highDay = to.map { Timestamp(milliseconds: $0.milliseconds - 1).day } ?? Int64.max
        try c.forEachBatch(
            """
            SELECT article_id, day, views, votes, score, comments FROM daily_engagement
            WHERE day >= \(lowDay) AND day <= \(highDay) ORDER BY article_id, day
            """
        ) { rows in
            for r in 0..<rows.count {
                daily.append(
                    article: articleIndex[rows.int64(r, 0) ?? 0] ?? -1, day: rows.int64(r, 1) ?? 0,
                    views: rows.int64(r, 2) ?? 0, votes: rows.int64(r, 3) ?? 0, score: rows.int64(r, 4) ?? 0,
                    comments: rows.int64(r, 5) ?? 0)
            }
        }
        var snapshot = Snapshot(
            sites: sites, articles: articles, tags: tags, readers: names, sessionCount: sessionIndex.count,
            events: events, daily: daily)
        snapshot.articleKeys = articleKeys
        snapshot.readerKeys = readerIDs
        return snapshot
    }
}
