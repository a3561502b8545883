// Import throughput: Trendmix's canonical importer against the sqlite3 shell on the same rows and table.
//
//   swift run -c release import-benchmark [--events N] [--articles N] [--readers N] [--workdir DIR] [--keep]
//
// 1. Generates a seeded workload (WorkloadGenerator) and imports its sites and articles (not timed).
// 2. Times `importEvents` in a child process (so its peak RSS is the import's alone): the canonical events.csv
//    parsed, validated, resolved and stored in one transaction.
// 3. Exports the rows exactly as stored (id, site_id, article_id, reader_id, session, type, occurred_at, value,
//    source_id) and times the sqlite3 shell's `.import --csv` of them into the same table of a copy of the same
//    base database, twice: (a) with the table's indexes in place, (b) the way Trendmix does a bulk import:
//    secondary indexes dropped, rows imported, indexes created again. The ratio is against the faster one.
import BenchmarkSupport
import Foundation
import Trendmix
import TrendmixCore
import TrendmixStore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program, returning its wall time, peak RSS in MiB and exit status.
func measure(
    _ executable: String, _ arguments: [String], stdin: String? = nil
) -> (seconds: Double, peakMiB: Double, status: Int32) {
    let run = runChild(executable, arguments, stdin: stdin)
    return (run.seconds, run.peakMiB, run.status)
}

// Child mode: import one canonical file into a database and exit.
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "--child-import" {
    do {
        let store = try SQLiteArticleStore(path: CommandLine.arguments[3])
        let summary = try store.run(CanonicalImporter(path: CommandLine.arguments[2]))
        print(summary.events.added)
        exit(0)
    } catch {
        fail("\(error)")
    }
}

let arguments = BenchmarkArguments(
    usage: """
        usage: import-benchmark [--events N] [--articles N] [--readers N] [--workdir DIR] [--keep]
          --events N     events to generate and import (5000000)
          --articles N   articles of the generated catalogue (100000)
          --readers N    readers (200000)
          --workdir DIR  where the data and databases go (a folder under the temporary directory)
          --keep         leave the workdir in place afterwards
        """,
    options: ["--events", "--articles", "--readers", "--workdir"], flags: ["--keep"])
let events = arguments.count("--events", 5_000_000)
let articles = arguments.count("--articles", 100_000)
let readers = arguments.count("--readers", 200_000)
let workdir = arguments.string("--workdir", NSTemporaryDirectory() + "trendmix-import-benchmark")
let keep = arguments.flag("--keep")
let fm = FileManager.default
try? fm.removeItem(atPath: workdir)
do {
    try fm.createDirectory(atPath: workdir, withIntermediateDirectories: true)
} catch {
    fail("cannot create \(workdir)")
}
defer { if !keep { try? fm.removeItem(atPath: workdir) } }

guard let sqliteShell = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: fm.isExecutableFile(atPath:)) else {
    fail("the sqlite3 shell is needed for the reference (apt-get install sqlite3)")
}

var parameters = WorkloadGenerator.Parameters()
parameters.events = events
parameters.articles = articles
parameters.readers = readers
let data = workdir + "/data"
let generated = monotonicSeconds()
let output: WorkloadGenerator.Output
do {
    output = try WorkloadGenerator(parameters: parameters).write(to: data)
} catch {
    fail("generating: \(error)")
}
let generateSeconds = monotonicSeconds() - generated
let eventsFile = data + "/events.csv"
let eventsBytes = (try? fm.attributesOfItem(atPath: eventsFile)[.size] as? Int) ?? 0

// Base database: sites and articles only.
let base = workdir + "/base.sqlite"
do {
    let store = try SQLiteArticleStore(path: base)
    _ = try store.run(CanonicalImporter(path: data + "/sites.csv"))
    _ = try store.run(CanonicalImporter(path: data + "/articles.csv"))
} catch {
    fail("preparing the base database: \(error)")
}
_ = measure(sqliteShell, [base, "PRAGMA wal_checkpoint(TRUNCATE);"])

func copyBase(to path: String) {
    for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
    do { try fm.copyItem(atPath: base, toPath: path) } catch { fail("copying the base database: \(error)") }
}

// Trendmix.
let trendmixDB = workdir + "/trendmix.sqlite"
copyBase(to: trendmixDB)
let trendmix = measure(CommandLine.arguments[0], ["--child-import", eventsFile, trendmixDB])
guard trendmix.status == 0 else { fail("the Trendmix import failed") }

// The same rows as stored, for the shell.
let resolved = workdir + "/resolved.csv"
let exportRun = measure(
    sqliteShell,
    [
        "-csv", trendmixDB, ".output \(resolved)",
        "SELECT id, site_id, article_id, reader_id, session, type, occurred_at, value, source_id FROM event;",
    ])
guard exportRun.status == 0 else { fail("exporting the stored rows failed") }

// (a) the shell into the table with its indexes in place.
let shellDB = workdir + "/shell.sqlite"
copyBase(to: shellDB)
let script = workdir + "/shell.sql"
let pragmas = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\nPRAGMA cache_size=-262144;\n"
try? (pragmas + ".import --csv \(resolved) event\n").write(toFile: script, atomically: true, encoding: .utf8)
let shell = measure(sqliteShell, [shellDB], stdin: script)

// (b) the shell with the table's secondary indexes (if any) dropped first and created again after.
func shellOutput(_ arguments: [String]) -> String {
    let out = Pipe()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: sqliteShell)
    p.arguments = arguments
    p.standardOutput = out
    try? p.run()
    p.waitUntilExit()
    return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
}
let secondary = shellOutput([
    "-separator", "\t", base,
    "SELECT name, replace(sql, char(10), ' ') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event' AND sql IS NOT NULL;",
]).split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }.filter { $0.count == 2 }
var shellBulk: (seconds: Double, peakMiB: Double, status: Int32)?
let shellBulkDB = workdir + "/shell-bulk.sqlite"
if !secondary.isEmpty {
    copyBase(to: shellBulkDB)
    let bulkScript = workdir + "/shell-bulk.sql"
    let drops = secondary.map { "DROP INDEX \($0[0]);" }.joined(separator: "\n")
    let creates = secondary.map { "\($0[1]);" }.joined(separator: "\n")
    try? (pragmas + "BEGIN;\n\(drops)\n.import --csv \(resolved) event\n\(creates)\nCOMMIT;\n")
        .write(toFile: bulkScript, atomically: true, encoding: .utf8)
    shellBulk = measure(sqliteShell, [shellBulkDB], stdin: bulkScript)
}

func rows(_ db: String) -> Int {
    Int(shellOutput([db, "SELECT count(*) FROM event;"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
}
for db in [trendmixDB, shellDB] + (shellBulk == nil ? [] : [shellBulkDB]) where rows(db) != output.events {
    fail("\(db) holds \(rows(db)) events, expected \(output.events)")
}

let best = min(shell.seconds, shellBulk?.seconds ?? .infinity)
func rate(_ seconds: Double) -> String { String(format: "%9.0f events/s", Double(output.events) / seconds) }
print(
    """
    Import benchmark: \(output.events) events (\(eventsBytes / 1_000_000) MB CSV), \(output.articles) articles, \
    \(output.sites) sites; \(ProcessInfo.processInfo.activeProcessorCount) cores
    generate workload             \(String(format: "%7.2f s", generateSeconds))
    trendmix import canonical     \(String(format: "%7.2f s", trendmix.seconds))  \(rate(trendmix.seconds))  \
    peak RSS \(String(format: "%.0f", trendmix.peakMiB)) MiB
    sqlite3 shell, indexes kept   \(String(format: "%7.2f s", shell.seconds))  \(rate(shell.seconds))  \
    peak RSS \(String(format: "%.0f", shell.peakMiB)) MiB
    sqlite3 shell, bulk indexes   \(shellBulk.map { String(format: "%7.2f s", $0.seconds) + "  " + rate($0.seconds) } ?? "   (the event table has no secondary index)")
    ratio trendmix / best shell   \(String(format: "%7.2f", best / trendmix.seconds))  (target >= 0.50)
    absolute rate                 \(rate(trendmix.seconds))  (target >= 500000)
    """)
