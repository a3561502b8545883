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

extension SQLiteImportWriter {
    /// Inside the import's transaction: the interactions, then the new clicks as events (``addEvent(_:at:)``).
    func record(
        _ interactions: [WidgetInteraction], location: (Int) -> SourceLocation
    ) throws -> InteractionsRecorded {
        var added = 0
        var clicks: [EngagementEvent] = []
        func site(_ slug: String, _ field: String, _ i: Int) throws -> Int64 {
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM site WHERE slug = ?", arguments: [slug]) else {
                throw ImportError.invalidField(location(i), field: field, value: slug, reason: "no such site is stored")
            }
            return id
        }
        func article(_ site: Int64, _ id: String, _ field: String, _ i: Int) throws -> Int64 {
            guard
                let row = try Int64.fetchOne(
                    db, sql: "SELECT id FROM article WHERE site_id = ? AND external_id = ?", arguments: [site, id])
            else {
                throw ImportError.invalidField(
                    location(i), field: field, value: id, reason: "no such article is stored")
            }
            return row
        }
        for (i, x) in interactions.enumerated() {
            let host = try site(x.host, "host", i)
            let seed = try x.seed.map { try article(host, $0, "seed", i) }
            let item = try article(try site(x.site, "site", i), x.article, "article", i)
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
            guard db.changesCount == 1 else { continue }
            added += 1
            if x.kind == .click {
                let event = EngagementEvent(
                    sourceID: "click:" + x.sourceID, site: x.site, article: x.article, reader: x.reader, type: .click,
                    time: x.time)
                if try addEvent(event, at: location(i)) { clicks.append(event) }
            }
        }
        return InteractionsRecorded(added: added, unchanged: interactions.count - added, clicks: clicks)
    }
}
