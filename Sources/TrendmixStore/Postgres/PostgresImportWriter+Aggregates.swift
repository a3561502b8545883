import TrendmixCore

/// Daily counts, tags and links, with the same answers as ``SQLiteImportWriter``'s.
extension PostgresImportWriter {
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
        let row = try connection.query(
            "SELECT views, votes, score, comments FROM daily_engagement WHERE article_id = $1 AND day = $2",
            [article, daily.day])
        if row.count == 1 {
            if (0..<4).map({ row.int64(0, $0) ?? 0 }) == values {
                summary.daily.unchanged += 1
                return
            }
            try connection.query(
                """
                UPDATE daily_engagement SET views = $1, votes = $2, score = $3, comments = $4
                WHERE article_id = $5 AND day = $6
                """, [daily.views, daily.votes, daily.score, daily.comments, article, daily.day])
            summary.daily.updated += 1
            return
        }
        try connection.query(
            """
            INSERT INTO daily_engagement(article_id, day, views, votes, score, comments)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [article, daily.day, daily.views, daily.votes, daily.score, daily.comments])
        summary.daily.added += 1
    }

    func addTag(_ tag: String, site: String, article: String, at location: SourceLocation) throws {
        let siteID = try siteID(site, at: location)
        let id = try articleID(site: siteID, siteSlug: site, externalID: article, field: "article", at: location)
        let present = try connection.query(
            "SELECT 1 FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = $1 AND t.name = $2",
            [id, tag])
        if present.count > 0 { return }
        let position =
            try connection.query(
                "SELECT coalesce(max(position) + 1, 0) FROM article_tag WHERE article_id = $1", [id]
            ).int(0, 0) ?? 0
        try insertTags([tag], article: id, from: position)
    }

    func addLink(site: String, from: String, to: String, kind: ArticleLinkKind, at location: SourceLocation) throws {
        let siteID = try siteID(site, at: location)
        let a = try articleID(site: siteID, siteSlug: site, externalID: from, field: "from", at: location)
        let b = try articleID(site: siteID, siteSlug: site, externalID: to, field: "to", at: location)
        let added = try connection.query(
            """
            INSERT INTO article_link(article_id, related_article_id, kind) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING
            """, [a, b, kind.rawValue])
        if added.changed == 1 { summary.links.added += 1 } else { summary.links.unchanged += 1 }
    }
}
