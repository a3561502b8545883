import Foundation
import GRDB
import Synchronization
import Testing
import TrendmixCore
import TrendmixTestSupport

@testable import TrendmixStore

/// Issue 18, item 7: another application's SQLite file and a newer Trendmix's are refused before anything is
/// written to them, and the commands that only read open the database read-only.
@Suite struct DatabaseFileTests {
    /// Every file of the database (main, -wal, -shm) → bytes.
    static func files(_ path: String) -> [String: Data] {
        var out: [String: Data] = [:]
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let data = FileManager.default.contents(atPath: path + suffix) { out[suffix] = data }
        }
        return out
    }

    @Test func anotherApplicationsDatabaseIsRefusedUntouched() throws {
        let dir = try TemporaryDirectory("db")
        let path = dir.file("app.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'a')")
        }
        let before = Self.files(path)
        #expect {
            _ = try SQLiteArticleStore(path: path)
        } throws: { error in
            guard case StoreError.notTrendmix(_, let tables) = error else { return false }
            return tables == "users" && "\(error)".contains("is not a Trendmix database")
        }
        #expect(throws: StoreError.self) { _ = try SQLiteArticleStore(path: path, readOnly: true) }
        #expect(Self.files(path) == before, "no table added, journal mode unchanged, no -wal file")
    }

    @Test func aDatabaseFromANewerTrendmixIsRefusedUntouched() throws {
        let dir = try TemporaryDirectory("db")
        let path = dir.file("t.sqlite")
        do {
            let store = try SQLiteArticleStore(path: path)
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')")
            }
        }
        let before = Self.files(path)
        #expect(throws: StoreError.newerVersion(path: path, migrations: ["v99-from-the-future"])) {
            _ = try SQLiteArticleStore(path: path)
        }
        #expect(throws: StoreError.self) { _ = try SQLiteArticleStore(path: path, readOnly: true) }
        // The main file is unchanged (reading a WAL database makes SQLite create its empty -wal and -shm).
        #expect(Self.files(path)[""] == before[""])
    }

    @Test func aReadOnlyStoreReadsAndNeverWrites() throws {
        let dir = try TemporaryDirectory("db")
        let path = dir.file("t.sqlite")
        let fixture = try TemporaryDirectory("fixture")
        for (name, text) in Fixtures.canonical { try fixture.write(name, text) }
        do { _ = try SQLiteArticleStore(path: path).run(CanonicalImporter(path: fixture.path)) }
        let before = Self.files(path)[""]
        let store = try SQLiteArticleStore(path: path, readOnly: true)
        #expect(try store.statistics().events == 8)
        #expect(throws: (any Error).self) { _ = try store.run(CanonicalImporter(path: fixture.path)) }
        #expect(Self.files(path)[""] == before)
        // A file Trendmix created with an older schema needs a writing command first; said, not half-read.
        try store.writer.read { _ in }
        let old = dir.file("old.sqlite")
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sites-articles-events", migrate: Schema.v1)
        try migrator.migrate(try DatabaseQueue(path: old))
        #expect {
            _ = try SQLiteArticleStore(path: old, readOnly: true)
        } throws: { error in
            "\(error)".contains("needs an upgrade")
        }
        #expect(try SQLiteArticleStore(path: old).statistics().events == 0)
    }

    /// Issue 18, item 16: a second writer that waits past the 10 s busy timeout gets ``StoreError/busy(path:)``
    /// (the command line says to try again; the server answers 503), and nothing of its write is kept.
    @Test func aWriterThatWaitsTooLongIsToldTheDatabaseIsBusy() throws {
        let dir = try TemporaryDirectory("db")
        let path = dir.file("t.sqlite")
        let first = try SQLiteArticleStore(path: path)
        let second = try SQLiteArticleStore(path: path)
        let fixture = try TemporaryDirectory("fixture")
        for (name, text) in Fixtures.canonical { try fixture.write(name, text) }
        let locked = Mutex(false)
        let release = Mutex(false)
        let holding = Thread {
            _ = try? first.importRecords(dryRun: true) { _ in
                locked.withLock { $0 = true }
                for _ in 0..<600 where !release.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.05) }
            }
        }
        holding.start()
        while !locked.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.02) }
        #expect(throws: StoreError.busy(path: path)) { _ = try second.run(CanonicalImporter(path: fixture.path)) }
        release.withLock { $0 = true }
        while !holding.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try second.statistics().events == 0)
        #expect(try second.run(CanonicalImporter(path: fixture.path)).events.added == 8)
    }
}
