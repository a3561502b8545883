import Foundation
public import TrendmixStore

#if canImport(Glibc)
    import Glibc
#endif

/// The data Trendmix runs on: the catalogue and events (``ArticleStore``) and the built model (``ModelStore``).
/// The engine, the server and the command line see a store only through these protocols.
public typealias Storage = ArticleStore & ModelStore

/// Opens stores: the one place that knows which conformer a location names.
public enum Stores {
    /// Whether `location` names a database server (a `postgres://` URL) rather than a file.
    public static func isServer(_ location: String) -> Bool { PostgresLocation.isURL(location) }

    /// Opens the store at `location`: a PostgreSQL database for a `postgres://` or `postgresql://` URL
    /// (``PostgresStore``; its schema created when `readOnly` is false), else a SQLite file (created, with its
    /// schema, when `readOnly` is false and it does not exist).
    /// - Parameter readOnly: open for reading only; the database must exist and is never written.
    /// - Throws: ``StoreError`` naming the location (a server by user, host, port and database, never its
    ///   password) when it cannot be opened or reached, is not a Trendmix database, or was written by a newer
    ///   version.
    public static func open(_ location: String, readOnly: Bool = false) throws -> any Storage {
        if isServer(location) { return try PostgresStore(url: location, readOnly: readOnly) }
        return try SQLiteArticleStore(path: location, readOnly: readOnly)
    }

    /// Copies the SQLite database at `location` to `destination` with SQLite's online backup (consistent while
    /// `trendmix serve` or an import uses it; ``SQLiteArticleStore/backup(to:)``).
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` for a PostgreSQL URL (its own tools back it up:
    ///   `pg_dump`), an existing destination, or one that cannot be written.
    /// - Returns: the copy's size in bytes.
    public static func backup(_ location: String, to destination: String) throws -> Int64 {
        guard !isServer(location) else {
            throw StoreError.cannotOpen(
                path: (try? PostgresLocation(location).description) ?? "the PostgreSQL database",
                reason: "trendmix backup copies SQLite files; back a PostgreSQL database up with pg_dump "
                    + "(docs/operations.md)")
        }
        return try SQLiteArticleStore(path: location, readOnly: true).backup(to: destination)
    }

    /// Runs `body` with the store at `location`. A SQLite store this call creates is written under a temporary name
    /// beside it (`.NAME.importing-PID`) and moved into place only when `body` returns `true`: a failed, dry,
    /// interrupted or killed import never leaves an empty database behind (a killed one's temporary file is
    /// removed by the next call for the same place).
    /// A PostgreSQL database is the server's: its schema is created in it, and a failed import leaves it as it was
    /// (one transaction), empty tables included.
    public static func withStore(creatingIfNeeded location: String, _ body: (any Storage) throws -> Bool) throws {
        if isServer(location) {
            _ = try body(try open(location))
            return
        }
        let created = !FileManager.default.fileExists(atPath: location)
        let target = created ? temporaryPath(for: location) : location
        if created { removeStaleTemporaries(for: location) }
        var keep = false
        defer {
            if created {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    if keep, suffix.isEmpty || FileManager.default.fileExists(atPath: target + suffix) {
                        _ = rename(target + suffix, location + suffix)
                    } else {
                        try? FileManager.default.removeItem(atPath: target + suffix)
                    }
                }
            }
        }
        keep = try body(try open(target))
    }

    /// `.NAME.importing-PID` beside the database: where a new database is written until its import succeeded.
    static func temporaryPath(for db: String) -> String {
        let ns = db as NSString
        let folder = ns.deletingLastPathComponent
        let name = ".\(ns.lastPathComponent).importing-\(getpid())"
        return folder.isEmpty ? name : folder + "/" + name
    }

    /// Removes the temporary databases of imports that were killed (their process is gone).
    static func removeStaleTemporaries(for db: String) {
        let ns = db as NSString
        LeftBehind.remove(in: ns.deletingLastPathComponent, prefixes: [".\(ns.lastPathComponent).importing-"])
    }
}
