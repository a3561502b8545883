import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Deletes events, daily counts, impressions and clicks older than a number of days.",
        discussion: """
            Everything dated before NOW minus --keep-days goes, in one transaction; then the space is given back \
            (SQLite: VACUUM, which needs as much free disk as the database while it runs; PostgreSQL: whole \
            monthly partitions dropped, the tables vacuumed). Articles, sites, readers and the stored model stay. \
            Events older than that imported again are stored again. Run 'trendmix build' after pruning: a model \
            built before still counts what was pruned.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Days of history to keep, counted back from --now.")
    var keepDays: Int

    @Option(help: "The moment to count back from (ISO 8601 or Unix seconds); this machine's clock by default.")
    var now: String?

    @Flag(help: "Count what would be deleted, delete nothing.")
    var dryRun = false

    @Flag(help: "Print JSON for machines.")
    var json = false

    func validate() throws {
        try database.requireExisting()
        guard (0...100_000).contains(keepDays) else { throw ValidationError("--keep-days must be from 0 to 100000") }
        if let now, TimestampParser.parse(now) == nil { throw ValidationError("--now: cannot read '\(now)' as a time") }
    }

    func run() async throws {
        try await reportingErrors {
            let moment = now.flatMap(TimestampParser.parse) ?? Timestamp.wallClock()
            let cutoff = Timestamp(milliseconds: moment.milliseconds - Int64(keepDays) * Timestamp.millisecondsPerDay)
            let summary = try Stores.open(database.db).prune(before: cutoff, dryRun: dryRun)
            if json {
                var out = UTF8Output()
                out.append("{\"bytes_after\":")
                out.integer(summary.bytesAfter)
                out.append(",\"bytes_before\":")
                out.integer(summary.bytesBefore)
                out.append(",\"cutoff\":")
                out.quoted(summary.cutoff.iso8601)
                out.append(",\"daily_rows\":\(summary.dailyRows),\"dry_run\":\(dryRun),\"events\":\(summary.events)")
                out.append(",\"interactions\":\(summary.interactions),\"partitions_dropped\":")
                out.append("\(summary.partitionsDropped)}")
                print(out.string)
                return
            }
            let verb = dryRun ? "would delete" : "deleted"
            print(
                "\(verb) \(summary.events) events, \(summary.dailyRows) daily rows and \(summary.interactions) "
                    + "impressions and clicks dated before \(summary.cutoff.iso8601)"
                    + (summary.partitionsDropped > 0 ? " (\(summary.partitionsDropped) monthly partitions whole)" : ""))
            if !dryRun {
                print("database: \(Self.size(summary.bytesBefore)) before, \(Self.size(summary.bytesAfter)) after")
            }
        }
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20
            ? String(format: "%.1f MiB", Double(bytes) / 1_048_576) : String(format: "%.1f KiB", Double(bytes) / 1024)
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copies a SQLite database to a new file, consistent while it is being served.",
        discussion: """
            SQLite's online backup: the copy is one moment of the database, taken while 'trendmix serve' answers \
            and writes. It is written beside --to, checked with PRAGMA integrity_check and renamed into place. \
            To restore: stop 'trendmix serve', remove the database's -wal and -shm files, copy the backup over the \
            database, start again (docs/operations.md). A PostgreSQL database is backed up with pg_dump.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The file to write (must not exist).")
    var to: String

    func validate() throws { try database.requireExisting() }

    func run() async throws {
        try await reportingErrors {
            let bytes = try Stores.backup(database.db, to: to)
            print("backed up \(database.db) to \(to) (\(PruneCommand.size(bytes)); integrity_check ok)")
        }
    }
}
