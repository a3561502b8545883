import TrendmixCore

extension PostgresStore {
    public func renameSite(_ slug: String, to newSlug: String, name: String? = nil) throws {
        guard Site.isValidSlug(newSlug) else { throw SiteError.invalidSlug(newSlug) }
        try withConnection { c in
            try c.transaction {
                let found = try c.query("SELECT id FROM site WHERE slug = $1 FOR UPDATE", [slug])
                guard let id = found.int64(0, 0), found.count == 1 else { throw SiteError.unknown(slug) }
                if newSlug != slug, try c.query("SELECT id FROM site WHERE slug = $1", [newSlug]).count > 0 {
                    throw SiteError.taken(newSlug)
                }
                try c.query("UPDATE site SET slug = $1, name = coalesce($2, name) WHERE id = $3", [newSlug, name, id])
            }
        }
    }

    /// Deletes a site with everything of it in one transaction (``ArticleStore/deleteSite(_:)``); its events, their
    /// keys and its model rows explicitly, since `event`, `event_key` and the model's tables have no foreign keys.
    @discardableResult
    public func deleteSite(_ slug: String) throws -> SiteDeletion {
        try withConnection { c in
            try c.transaction {
                let found = try c.query("SELECT id FROM site WHERE slug = $1 FOR UPDATE", [slug])
                guard let id = found.int64(0, 0), found.count == 1 else { throw SiteError.unknown(slug) }
                var deletion = SiteDeletion()
                deletion.articles = try c.query("SELECT count(*) FROM article WHERE site_id = $1", [id]).int(0, 0) ?? 0
                let readers = try c.query(
                    "SELECT DISTINCT reader_id FROM event WHERE site_id = $1 AND reader_id IS NOT NULL", [id])
                deletion.events = try c.query("DELETE FROM event WHERE site_id = $1", [id]).changed
                try c.query("DELETE FROM event_key WHERE site_id = $1", [id])
                // The model's rows that name the site's articles (its tables have no foreign keys): the model keeps
                // serving the other sites, as on SQLite.
                let articles = "(SELECT id FROM article WHERE site_id = $1)"
                for table in ["model_neighbour", "model_session_neighbour"] {
                    try c.query(
                        "DELETE FROM \(table) WHERE article_id IN \(articles) OR neighbour_id IN \(articles)", [id])
                }
                try c.query("DELETE FROM model_article WHERE article_id IN \(articles)", [id])
                try c.query("DELETE FROM model_affinity WHERE article_id IN \(articles)", [id])
                try c.query("DELETE FROM site WHERE id = $1", [id])
                for r in 0..<readers.count {
                    guard let reader = readers.int64(r, 0) else { continue }
                    if try c.query("SELECT 1 FROM event WHERE reader_id = $1 LIMIT 1", [reader]).count == 0 {
                        try c.query("DELETE FROM model_affinity WHERE reader_id = $1", [reader])
                        try c.query("DELETE FROM reader WHERE id = $1", [reader])
                        deletion.readers += 1
                    }
                }
                return deletion
            }
        }
    }

    /// Stores interactions and their clicks in one transaction (``ArticleStore/record(_:location:)``).
    public func record(
        _ interactions: [WidgetInteraction], location: @escaping (Int) -> SourceLocation
    ) throws -> InteractionsRecorded {
        var result = InteractionsRecorded()
        _ = try importRecords(dryRun: false) { writer in
            guard let writer = writer as? PostgresImportWriter else {
                preconditionFailure("PostgresStore imports through PostgresImportWriter")
            }
            result = try writer.record(interactions, location: location)
        }
        return result
    }

    public func forEachInteraction(_ body: (WidgetInteraction) throws -> Void) throws {
        try read { c in
            try c.forEachBatch(
                """
                SELECT h.slug, w.source_id, w.kind, w.placement, sa.external_id, s.slug, a.external_id, w.position, w.reader,
                       w.variant, w.occurred_at
                FROM widget_interaction w JOIN site h ON h.id = w.host_site_id JOIN article a ON a.id = w.article_id
                JOIN site s ON s.id = a.site_id LEFT JOIN article sa ON sa.id = w.seed_article_id
                ORDER BY h.slug COLLATE "C", w.occurred_at, w.source_id COLLATE "C"
                """
            ) { rows in
                for r in 0..<rows.count {
                    try body(
                        WidgetInteraction(
                            sourceID: rows.string(r, 1) ?? "",
                            kind: WidgetInteraction.Kind(rawValue: rows.string(r, 2) ?? "") ?? .impression,
                            placement: rows.string(r, 3) ?? "", host: rows.string(r, 0) ?? "", seed: rows.string(r, 4),
                            site: rows.string(r, 5) ?? "", article: rows.string(r, 6) ?? "",
                            position: rows.int(r, 7) ?? 0, reader: rows.string(r, 8), variant: rows.string(r, 9),
                            time: Timestamp(milliseconds: rows.int64(r, 10) ?? 0)))
                }
            }
        }
    }

    /// Click-through per placement and position.
    public func interactionSummary() throws -> [PlacementClicks] {
        try withConnection { c in
            let rows = try c.query(
                """
                SELECT placement, position, count(*) FILTER (WHERE kind = 'impression'),
                       count(*) FILTER (WHERE kind = 'click')
                FROM widget_interaction GROUP BY placement, position ORDER BY placement COLLATE "C", position
                """)
            return (0..<rows.count).map { r in
                PlacementClicks(
                    placement: rows.string(r, 0) ?? "", position: rows.int(r, 1) ?? 0,
                    impressions: rows.int(r, 2) ?? 0, clicks: rows.int(r, 3) ?? 0)
            }
        }
    }

    public func interactionCounts(by dimensions: [InteractionDimension]) throws -> [InteractionCounts] {
        try withConnection { c in
            // Text ordered by bytes, as SQLite orders it, so both stores list the groups alike.
            let rows = try c.query(InteractionCounts.query(dimensions, collate: " COLLATE \"C\""))
            let n = dimensions.count
            return (0..<rows.count).compactMap { r in
                let group: [String?] = (0..<n).map { i in
                    dimensions[i] == .position ? rows.int(r, i).map(String.init) : rows.string(r, i)
                }
                let impressions = rows.int(r, n) ?? 0
                let clicks = rows.int(r, n + 1) ?? 0
                return impressions + clicks == 0
                    ? nil : InteractionCounts(group: group, impressions: impressions, clicks: clicks)
            }
        }
    }
}

extension PostgresImportWriter: InteractionWriting {
    /// Stores one interaction unless its (host, id) is stored; whether it was new.
    func storeInteraction(_ x: WidgetInteraction, at location: SourceLocation) throws -> Bool {
        func site(_ slug: String, _ field: String) throws -> Int64 {
            guard let id = try connection.query("SELECT id FROM site WHERE slug = $1", [slug]).int64(0, 0) else {
                throw ImportError.invalidField(location, field: field, value: slug, reason: "no such site is stored")
            }
            return id
        }
        func article(_ site: Int64, _ id: String, _ field: String) throws -> Int64 {
            guard
                let row = try connection.query(
                    "SELECT id FROM article WHERE site_id = $1 AND external_id = $2", [site, id]
                ).int64(0, 0)
            else {
                throw ImportError.invalidField(location, field: field, value: id, reason: "no such article is stored")
            }
            return row
        }
        let host = try site(x.host, "host")
        let seed = try x.seed.map { try article(host, $0, "seed") }
        let item = try article(try site(x.site, "site"), x.article, "article")
        let stored = try connection.query(
            """
            INSERT INTO widget_interaction
                (host_site_id, source_id, kind, placement, seed_article_id, article_id, position, reader, variant,
                 occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING
            """,
            [
                host, x.sourceID, x.kind.rawValue, x.placement, seed, item, x.position, x.reader, x.variant,
                x.time.milliseconds,
            ])
        return stored.changed == 1
    }
}
