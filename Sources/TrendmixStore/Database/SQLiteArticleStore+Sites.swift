import GRDB
import TrendmixCore

extension SQLiteArticleStore {
    /// Gives a site a new slug and, optionally, a new display name; every record keeps pointing to it.
    /// - Throws: ``SiteError`` for an unknown site, an invalid slug, or a slug another site has.
    public func renameSite(_ slug: String, to newSlug: String, name: String? = nil) throws {
        guard Site.isValidSlug(newSlug) else { throw SiteError.invalidSlug(newSlug) }
        try writer.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM site WHERE slug = ?", arguments: [slug]) else {
                throw SiteError.unknown(slug)
            }
            if newSlug != slug,
                try Int64.fetchOne(db, sql: "SELECT id FROM site WHERE slug = ?", arguments: [newSlug]) != nil
            {
                throw SiteError.taken(newSlug)
            }
            try db.execute(sql: "UPDATE site SET slug = ? WHERE id = ?", arguments: [newSlug, id])
            if let name { try db.execute(sql: "UPDATE site SET name = ? WHERE id = ?", arguments: [name, id]) }
        }
    }

    /// Deletes a site with everything of it, in one transaction: its articles (with their tags and links), events,
    /// daily counts, widget interactions, its rows of the stored model, and the readers no other site has. The
    /// stored model keeps serving the other sites (a neighbour that was on the deleted site is gone from it).
    /// - Throws: ``SiteError/unknown(_:)``.
    @discardableResult
    public func deleteSite(_ slug: String) throws -> SiteDeletion {
        try writer.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM site WHERE slug = ?", arguments: [slug]) else {
                throw SiteError.unknown(slug)
            }
            var deletion = SiteDeletion()
            deletion.articles =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM article WHERE site_id = ?", arguments: [id]) ?? 0
            deletion.events =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE site_id = ?", arguments: [id]) ?? 0
            let readers = try Int64.fetchAll(
                db, sql: "SELECT DISTINCT reader_id FROM event WHERE site_id = ? AND reader_id IS NOT NULL",
                arguments: [id])
            try db.execute(sql: "DELETE FROM event WHERE site_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM site WHERE id = ?", arguments: [id])
            for reader in readers
            where try Int64.fetchOne(db, sql: "SELECT 1 FROM event WHERE reader_id = ? LIMIT 1", arguments: [reader])
                == nil
            {
                try db.execute(sql: "DELETE FROM reader WHERE id = ?", arguments: [reader])
                deletion.readers += 1
            }
            return deletion
        }
    }
}

/// Why a site could not be renamed or deleted.
public enum SiteError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(String)
    case invalidSlug(String)
    case taken(String)

    public var description: String {
        switch self {
        case .unknown(let slug): "no site '\(slug)'"
        case .invalidSlug(let slug): "'\(slug)' is not a slug: 1 to 64 characters of a-z, 0-9, '.', '-' or '_'"
        case .taken(let slug): "another site already has the slug '\(slug)'"
        }
    }
}
