import Foundation
import GRDB
import Testing
import TrendmixCore
import TrendmixTestSupport

@testable import TrendmixStore

/// A large import drops the event table's secondary indexes and builds them again at its end. The schema has
/// none today, so the tests add one, as a later migration might.
@Suite struct BulkImportTests {
    static func store(at path: String) throws -> SQLiteArticleStore {
        let store = try SQLiteArticleStore(path: path)
        try store.writer.write { db in
            try db.execute(sql: "CREATE INDEX event_by_reader_time ON event(reader_id, occurred_at)")
        }
        return store
    }

    static func write(events: Int, badLast: Bool, to dir: TemporaryDirectory) throws {
        try dir.write("sites.csv", "slug,name,kind,base_url\nnews,News,news,https://news.example\n")
        try dir.write("articles.csv", "site,id\n" + (0..<50).map { "news,a\($0)\n" }.joined())
        var text = "id,site,article,reader,type,time\n"
        text.reserveCapacity(events * 40)
        for i in 0..<events {
            text += "e\(i),news,a\(i % 50),r\(i % 997),view,\(1_700_000_000 + i)\n"
        }
        if badLast { text += "bad,news,a404,r1,view,1700000000\n" }
        try dir.write("events.csv", text)
    }

    @Test func rebuildsTheEventIndexesAfterALargeImport() throws {
        let dir = try TemporaryDirectory("bulk")
        try Self.write(events: 150_000, badLast: false, to: dir)
        let store = try Self.store(at: dir.file("t.sqlite"))
        let before = try store.indexNames(table: "event")
        let summary = try store.run(CanonicalImporter(path: dir.path))
        #expect(summary.events.added == 150_000)
        #expect(try store.indexNames(table: "event") == before)
        #expect(before.contains("event_by_reader_time"))
        #expect(try store.run(CanonicalImporter(path: dir.path)).changedNothing)
    }

    @Test func aFailedLargeImportKeepsTheIndexesAndNoRows() throws {
        let dir = try TemporaryDirectory("bulk")
        try Self.write(events: 120_000, badLast: true, to: dir)
        let store = try Self.store(at: dir.file("t.sqlite"))
        let before = try store.indexNames(table: "event")
        let error = try #require(throws: ImportError.self) { _ = try store.run(CanonicalImporter(path: dir.path)) }
        #expect("\(error)".contains("events.csv:120002"))
        #expect(try store.indexNames(table: "event") == before)
        #expect(try store.statistics().events == 0)
        #expect(try store.sites().isEmpty)
    }
}
