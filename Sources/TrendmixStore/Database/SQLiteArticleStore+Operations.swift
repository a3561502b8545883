import Foundation
import GRDB
public import TrendmixCore

extension SQLiteArticleStore {
    public func prune(before cutoff: Timestamp, dryRun: Bool) throws -> PruneSummary {
        var summary = PruneSummary(cutoff: cutoff)
        summary.bytesBefore = diskSize
        let day = cutoff.day
        try writer.write { db in
            if dryRun {
                func count(_ sql: String, _ value: Int64) throws -> Int {
                    try Int.fetchOne(db, sql: sql, arguments: [value]) ?? 0
                }
                summary.events = try count("SELECT count(*) FROM event WHERE occurred_at < ?", cutoff.milliseconds)
                summary.dailyRows = try count("SELECT count(*) FROM daily_engagement WHERE day < ?", day)
                summary.interactions = try count(
                    "SELECT count(*) FROM widget_interaction WHERE occurred_at < ?", cutoff.milliseconds)
                return
            }
            try db.execute(sql: "DELETE FROM event WHERE occurred_at < ?", arguments: [cutoff.milliseconds])
            summary.events = db.changesCount
            try db.execute(sql: "DELETE FROM daily_engagement WHERE day < ?", arguments: [day])
            summary.dailyRows = db.changesCount
            try db.execute(
                sql: "DELETE FROM widget_interaction WHERE occurred_at < ?", arguments: [cutoff.milliseconds])
            summary.interactions = db.changesCount
        }
        if !dryRun, summary.events + summary.dailyRows + summary.interactions > 0 {
            // The freed pages go back to the file system: VACUUM rewrites the file, the checkpoint empties the WAL.
            try writer.vacuum()
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        summary.bytesAfter = diskSize
        return summary
    }

    /// The database file and its write-ahead log, in bytes (0 in memory).
    var diskSize: Int64 {
        guard let path else { return 0 }
        return [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// Copies the database to a new file with SQLite's online backup, consistent while other processes (a
    /// serving `trendmix serve`, an import) use it: written beside `destination` first, checked with `PRAGMA
    /// integrity_check`, then renamed into place, so `destination` is never half written.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when `destination` exists or cannot be written;
    ///   ``StoreError/corrupt(reason:)`` when the copy fails its integrity check.
    /// - Returns: the copy's size in bytes.
    @discardableResult
    public func backup(to destination: String) throws -> Int64 {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: destination) else {
            throw StoreError.cannotOpen(path: destination, reason: "the file exists; give a new name")
        }
        if let path, URL(fileURLWithPath: path).standardized == URL(fileURLWithPath: destination).standardized {
            throw StoreError.cannotOpen(path: destination, reason: "that is the database itself")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard folder.isEmpty || (fm.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) else {
            throw StoreError.cannotOpen(path: destination, reason: "the folder \(folder) does not exist")
        }
        let partial = destination + ".partial"
        try? fm.removeItem(atPath: partial)
        do {
            let copy = try DatabaseQueue(path: partial)
            // One step: the whole copy is read in one read transaction, a snapshot of one moment.
            try writer.backup(to: copy)
            let check = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            guard check == ["ok"] else {
                throw StoreError.corrupt(reason: "the copy failed PRAGMA integrity_check: \(check.prefix(3))")
            }
            try copy.close()
            try fm.moveItem(atPath: partial, toPath: destination)
        } catch let error as StoreError {
            try? fm.removeItem(atPath: partial)
            throw error
        } catch {
            try? fm.removeItem(atPath: partial)
            throw StoreError.cannotOpen(path: destination, reason: "\(error)")
        }
        return (try? fm.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
