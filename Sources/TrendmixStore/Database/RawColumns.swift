import GRDB
import GRDBSQLite

// Reading rows by the million: columns straight from the statement, without GRDB's `Row`. The snapshot's
// catalogue and a stored model's rows are read this way.
extension SQLiteArticleStore {
    /// Steps `statement` to its end, calling `body` on each row.
    static func rows(_ statement: OpaquePointer, _ db: Database, _ body: () throws -> Void) throws {
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code, db) }
            try body()
        }
    }

    /// The connection's error for a failed step.
    static func failure(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    /// Column `column` of the current row as text (invalid UTF-8 repaired), or `nil` when it is NULL.
    static func text(_ statement: OpaquePointer, _ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// Store row id → catalogue position. Row ids are mostly consecutive, so a table from the smallest to the
/// largest answers without hashing; ids spread much wider than the catalogue fall back to a dictionary.
struct RowIDIndex {
    private let base: Int64
    /// Position + 1 for each id from `base`; 0 for an id not in the catalogue.
    private let dense: [Int32]
    private let sparse: [Int64: Int32]

    init(_ keys: [Int64]) {
        let low = keys.min() ?? 0
        let high = keys.max() ?? -1
        let span = high >= low ? high.subtractingReportingOverflow(low) : (partialValue: -1, overflow: false)
        if !span.overflow, span.partialValue < 2 * Int64(keys.count) + 1024 {
            var dense = [Int32](repeating: 0, count: Int(span.partialValue + 1))
            for (i, key) in keys.enumerated() { dense[Int(key - low)] = Int32(i + 1) }
            (base, self.dense, sparse) = (low, dense, [:])
        } else {
            var sparse: [Int64: Int32] = [:]
            sparse.reserveCapacity(keys.count)
            for (i, key) in keys.enumerated() { sparse[key] = Int32(i) }
            (base, dense, self.sparse) = (0, [], sparse)
        }
    }

    subscript(key: Int64) -> Int32? {
        if dense.isEmpty { return sparse[key] }
        let (offset, overflow) = key.subtractingReportingOverflow(base)
        guard !overflow, offset >= 0, offset < Int64(dense.count) else { return nil }
        let slot = dense[Int(offset)]
        return slot == 0 ? nil : slot - 1
    }
}
