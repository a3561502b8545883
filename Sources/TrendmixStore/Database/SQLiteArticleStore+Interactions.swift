import GRDB
public import TrendmixCore

/// An item a widget showed (an impression) or a reader clicked, with where and at which position.
public struct WidgetInteraction: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case impression, click }

    public var sourceID: String
    public var kind: Kind
    /// Where the box sits on the page, as the partner names it (`sidebar`, `below-article`, ...).
    public var placement: String
    /// The site showing the box, and the article it is under (none for a site box).
    public var host: String
    public var seed: String?
    /// The item: its site and id, and its 1-based position in the box.
    public var site: String
    public var article: String
    public var position: Int
    public var reader: String?
    public var time: Timestamp

    public init(
        sourceID: String, kind: Kind, placement: String, host: String, seed: String?, site: String, article: String,
        position: Int, reader: String?, time: Timestamp
    ) {
        self.sourceID = sourceID
        self.kind = kind
        self.placement = placement
        self.host = host
        self.seed = seed
        self.site = site
        self.article = article
        self.position = position
        self.reader = reader
        self.time = time
    }
}

extension SQLiteArticleStore {
    /// Stores interactions, and each new click as a `click` engagement event on its article (id `click:<id>`),
    /// all in one transaction: idempotent by host site and id.
    /// - Parameter location: names each interaction in errors (`impressions[3]`).
    /// - Returns: how many interactions were new and how many already stored, and the click events that were new.
    /// - Throws: ``ImportError/invalidField(_:field:value:reason:)`` naming `host`, `seed`, `site` or `article`
    ///   when a site or article is not stored; nothing is stored then.
    public func record(
        _ interactions: [WidgetInteraction], location: @escaping (Int) -> SourceLocation
    ) throws -> (added: Int, unchanged: Int, clicks: [EngagementEvent]) {
        var result = (added: 0, unchanged: 0, clicks: [EngagementEvent]())
        _ = try importRecords(dryRun: false) { writer in
            guard let writer = writer as? SQLiteImportWriter else {
                preconditionFailure("SQLiteArticleStore imports through SQLiteImportWriter")
            }
            result = try writer.record(interactions, location: location)
        }
        return result
    }

    /// Click-through per placement and position: impressions, clicks and their ratio.
    public func interactionSummary() throws -> [(placement: String, position: Int, impressions: Int, clicks: Int)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT placement, position, SUM(kind = 'impression'), SUM(kind = 'click')
                    FROM widget_interaction GROUP BY placement, position ORDER BY placement, position
                    """
            ).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }
}

extension SQLiteImportWriter {
    /// Inside the import's transaction: the interactions, then the new clicks as events (``addEvent(_:at:)``).
    func record(
        _ interactions: [WidgetInteraction], location: (Int) -> SourceLocation
    ) throws -> (added: Int, unchanged: Int, clicks: [EngagementEvent]) {
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
                         occurred_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    host, x.sourceID, x.kind.rawValue, x.placement, seed, item, x.position, x.reader,
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
        return (added, interactions.count - added, clicks)
    }
}
