import Foundation
public import TrendmixStore

/// The README's first command: a fresh SQLite file with the demo data of `Data/` imported.
public enum Demo {
    /// What the demo did.
    public struct Result: Sendable {
        public var databasePath: String
        public var summary: ImportSummary
        public var statistics: StoreStatistics
    }

    /// Deletes any earlier demo database at `databasePath`, creates a new one and imports `dataFolder`
    /// (canonical format).
    /// - Throws: ``ImportError`` when the demo data is missing or damaged; ``StoreError`` when the database
    ///   cannot be created.
    public static func run(dataFolder: String, databasePath: String, progress: ImportProgress? = nil) throws -> Result {
        for suffix in ["", "-wal", "-shm"] {
            let file = databasePath + suffix
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
        }
        let store = try SQLiteArticleStore(path: databasePath)
        let summary = try store.run(CanonicalImporter(path: dataFolder), progress: progress)
        return Result(databasePath: databasePath, summary: summary, statistics: try store.statistics())
    }
}
