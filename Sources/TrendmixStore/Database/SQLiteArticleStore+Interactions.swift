import GRDB
import TrendmixCore

extension SQLiteArticleStore {
    /// Stores interactions and their clicks in one transaction (``ArticleStore/record(_:location:)``).
    public func record(
        _ interactions: [WidgetInteraction], location: @escaping (Int) -> SourceLocation
    ) throws -> InteractionsRecorded {
        var result = InteractionsRecorded()
        _ = try importRecords(dryRun: false) { writer in
            guard let writer = writer as? SQLiteImportWriter else {
                preconditionFailure("SQLiteArticleStore imports through SQLiteImportWriter")
            }
            result = try writer.record(interactions, location: location)
        }
        return result
    }

    /// Click-through per placement and position: impressions, clicks and their ratio.
    public func interactionSummary() throws -> [PlacementClicks] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT placement, position, SUM(kind = 'impression'), SUM(kind = 'click')
                    FROM widget_interaction GROUP BY placement, position ORDER BY placement, position
                    """
            ).map { PlacementClicks(placement: $0[0], position: $0[1], impressions: $0[2], clicks: $0[3]) }
        }
    }

    public func forEachInteraction(_ body: (WidgetInteraction) throws -> Void) throws {
        try writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT h.slug, w.source_id, w.kind, w.placement, sa.external_id, s.slug, a.external_id, w.position, w.reader,
                           w.variant, w.occurred_at
                    FROM widget_interaction w JOIN site h ON h.id = w.host_site_id JOIN article a ON a.id = w.article_id
                    JOIN site s ON s.id = a.site_id LEFT JOIN article sa ON sa.id = w.seed_article_id
                    ORDER BY h.slug, w.occurred_at, w.source_id
                    """)
            while let r = try rows.next() {
                try body(
                    WidgetInteraction(
                        sourceID: r[1], kind: WidgetInteraction.Kind(rawValue: r[2]) ?? .impression, placement: r[3],
                        host: r[0], seed: r[4], site: r[5], article: r[6], position: r[7], reader: r[8], variant: r[9],
                        time: Timestamp(milliseconds: r[10])))
            }
        }
    }

    public func interactionCounts(by dimensions: [InteractionDimension]) throws -> [InteractionCounts] {
        try writer.read { db in
            try Row.fetchAll(db, sql: InteractionCounts.query(dimensions)).compactMap { row in
                let n = dimensions.count
                let group: [String?] = (0..<n).map { i in
                    dimensions[i] == .position ? (row[i] as Int64?).map(String.init) : row[i] as String?
                }
                let impressions: Int = row[n] ?? 0
                let clicks: Int = row[n + 1] ?? 0
                // No interactions at all: the one ungrouped row is empty.
                return impressions + clicks == 0
                    ? nil
                    : InteractionCounts(
                        group: group, impressions: impressions, clicks: clicks)
            }
        }
    }
}

extension SQLiteImportWriter: InteractionWriting {
    /// Stores one interaction unless its (host, id) is stored; whether it was new.
    func storeInteraction(_ x: WidgetInteraction, at location: SourceLocation) throws -> Bool {
        func site(_ slug: String, _ field: String) throws -> Int64 {
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM site WHERE slug = ?", arguments: [slug]) else {
                throw ImportError.invalidField(location, field: field, value: slug, reason: "no such site is stored")
            }
            return id
        }
        func article(_ site: Int64, _ id: String, _ field: String) throws -> Int64 {
            guard
                let row = try Int64.fetchOne(
                    db, sql: "SELECT id FROM article WHERE site_id = ? AND external_id = ?", arguments: [site, id])
            else {
                throw ImportError.invalidField(location, field: field, value: id, reason: "no such article is stored")
            }
            return row
        }
        let host = try site(x.host, "host")
        let seed = try x.seed.map { try article(host, $0, "seed") }
        let item = try article(try site(x.site, "site"), x.article, "article")
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO widget_interaction
                    (host_site_id, source_id, kind, placement, seed_article_id, article_id, position, reader,
                     variant, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                host, x.sourceID, x.kind.rawValue, x.placement, seed, item, x.position, x.reader, x.variant,
                x.time.milliseconds,
            ])
        return db.changesCount == 1
    }
}
