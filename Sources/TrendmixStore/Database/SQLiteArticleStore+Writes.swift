import GRDB
import TrendmixCore

/// The store's writes of records: one import in a transaction, several posted batches in one (group commit),
/// and the names its write failures get.
extension SQLiteArticleStore {
    public func importRecords(dryRun: Bool, _ body: (any ImportWriter) throws -> Void) throws -> ImportSummary {
        var result = ImportSummary()
        try Self.namingWriteFailures(path) {
            try importTransaction(dryRun: dryRun, &result, body)
        }
        return result
    }

    /// One transaction for all the bodies, a savepoint each (``ArticleStore/importGrouped(_:)``).
    public func importGrouped(
        _ bodies: [(any ImportWriter) throws -> Void]
    ) throws -> [Result<ImportSummary, any Error>] {
        var results: [Result<ImportSummary, any Error>] = []
        try Self.namingWriteFailures(path) {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")  // as in importTransaction
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                try db.inTransaction(.immediate) {
                    results = []
                    for body in bodies {
                        var summary = ImportSummary()
                        do {
                            try db.inSavepoint {
                                let importWriter = try SQLiteImportWriter(db: db)
                                try body(importWriter)
                                try importWriter.finish()
                                summary = importWriter.summary
                                return .commit
                            }
                            results.append(.success(summary))
                        } catch {
                            results.append(.failure(Self.named(error, path)))
                        }
                    }
                    return .commit
                }
            }
        }
        return results
    }

    /// Runs a write, turning SQLite's "busy" (another process holds the write lock past the 10 s wait) and
    /// "full" (no space left) into ``StoreError/busy(path:)`` and ``StoreError/full(path:)``, which a command
    /// explains and a server answers with 503.
    static func namingWriteFailures<T>(_ path: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw named(error, path)
        }
    }

    /// A write's error as ``namingWriteFailures(_:_:)`` names it.
    static func named(_ error: any Error, _ path: String?) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path: path ?? ":memory:")
        case .SQLITE_FULL: return StoreError.full(path: path ?? ":memory:")
        default: return error
        }
    }

    private func importTransaction(
        dryRun: Bool, _ result: inout ImportSummary, _ body: (any ImportWriter) throws -> Void
    ) throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -262144")  // 256 MiB of page cache for bulk index updates
            // The import writer resolves every reference from the database itself (an unknown site or article
            // is an error before anything is written), so SQLite's per-row foreign key look-ups would only
            // repeat that work; they are off for the import's transaction and on again after it.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer {
                try? db.execute(sql: "PRAGMA foreign_keys = ON")
                try? db.execute(sql: "PRAGMA cache_size = -2000")
            }
            try db.inTransaction(.immediate) {
                let importWriter = try SQLiteImportWriter(db: db)
                try body(importWriter)
                try importWriter.finish()
                result = importWriter.summary
                result.dryRun = dryRun
                return dryRun ? .rollback : .commit
            }
        }
    }
}
