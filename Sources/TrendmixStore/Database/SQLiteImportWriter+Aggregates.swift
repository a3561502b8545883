import GRDB
import GRDBSQLite
import TrendmixCore

/// Daily counts, tags added one by one, and links (SQLiteImportWriter.swift holds sites, articles and events).
extension SQLiteImportWriter {
    func setDaily(_ daily: DailyEngagement, at location: SourceLocation) throws {
        let site = try siteID(daily.site, at: location)
        let article = try articleID(
            site: site, siteSlug: daily.site, externalID: daily.article, field: "article", at: location)
        let key = DailyKey(article: article, day: daily.day)
        if let first = dailyThisImport[key] {
            throw ImportError.conflict(
                location, field: "day",
                reason: "counts for article '\(daily.article)' on this day are given twice (first at \(first))")
        }
        dailyThisImport[key] = location
        let values: [Int64] = [daily.views, daily.votes, daily.score, daily.comments]
        if let row = try Row.fetchOne(
            db, sql: "SELECT views, votes, score, comments FROM daily_engagement WHERE article_id = ? AND day = ?",
            arguments: [article, daily.day])
        {
            if (0..<4).map({ row[$0] as Int64 }) == values {
                summary.daily.unchanged += 1
                return
            }
            try db.execute(
                sql:
                    "UPDATE daily_engagement SET views = ?, votes = ?, score = ?, comments = ? WHERE article_id = ? AND day = ?",
                arguments: [daily.views, daily.votes, daily.score, daily.comments, article, daily.day])
            summary.daily.updated += 1
            return
        }
        try db.execute(
            sql:
                "INSERT INTO daily_engagement(article_id, day, views, votes, score, comments) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [article, daily.day, daily.views, daily.votes, daily.score, daily.comments])
        summary.daily.added += 1
    }

    func addTag(_ tag: String, site: String, article: String, at location: SourceLocation) throws {
        let siteID = try siteID(site, at: location)
        let id = try articleID(site: siteID, siteSlug: site, externalID: article, field: "article", at: location)
        let present =
            try Bool.fetchOne(
                db,
                sql:
                    "SELECT 1 FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = ? AND t.name = ?",
                arguments: [id, tag]) ?? false
        if present { return }
        let position =
            try Int.fetchOne(
                db, sql: "SELECT coalesce(max(position) + 1, 0) FROM article_tag WHERE article_id = ?", arguments: [id])
            ?? 0
        try insertTags([tag], article: id, from: position)
    }

    func addLink(site: String, from: String, to: String, kind: ArticleLinkKind, at location: SourceLocation) throws {
        let siteID = try siteID(site, at: location)
        let a = try articleID(site: siteID, siteSlug: site, externalID: from, field: "from", at: location)
        let b = try articleID(site: siteID, siteSlug: site, externalID: to, field: "to", at: location)
        try db.execute(
            sql: "INSERT OR IGNORE INTO article_link(article_id, related_article_id, kind) VALUES (?, ?, ?)",
            arguments: [a, b, kind.rawValue])
        if db.changesCount == 1 { summary.links.added += 1 } else { summary.links.unchanged += 1 }
    }
}
