import Foundation
import Testing
import TrendmixCore
import TrendmixTestSupport

@testable import TrendmixStore

/// What only the PostgreSQL store has: its URL handling, its errors, its partitions. The contract suites run it
/// through `StoreKind.postgres`.
@Suite struct PostgresStoreTests {
    @Test func ciHasATestServer() {
        if PostgresDatabase.required && PostgresDatabase.server == nil {
            Issue.record("TRENDMIX_REQUIRE_POSTGRES=1 but TRENDMIX_TEST_POSTGRES names no server")
        }
        if PostgresDatabase.server == nil {
            print("PostgreSQL store tests left out: \(PostgresDatabaseError.noServer)")
        }
    }

    @Test func aURLNamesAnotherDatabaseOnTheSameServer() {
        #expect(
            PostgresStore.url("postgres://u@h:5/db?sslmode=disable", database: "x")
                == "postgres://u@h:5/x?sslmode=disable")
        #expect(PostgresStore.url("postgresql://u@h", database: "x") == "postgresql://u@h/x")
        #expect(PostgresStore.url("postgres://u:p@h:5/db", database: "x") == "postgres://u:p@h:5/x")
    }

    @Test func anUnreachableServerIsOneLineNamingHostAndPort() throws {
        // Port 1 on the loopback: nothing listens there.
        do {
            _ = try PostgresStore(url: "postgres://nobody:secret@127.0.0.1:1/trendmix")
            Issue.record("connected to port 1")
        } catch let error as StoreError {
            let text = error.description
            #expect(text.contains("127.0.0.1:1"))
            #expect(!text.contains("\n"))
            #expect(!text.contains("secret"))
        }
    }

    @Test func aMalformedURLIsNamedWithoutItsPassword() {
        #expect(throws: StoreError.self) { try PostgresStore(url: "postgres://u:secret@h:notaport/db") }
        do {
            _ = try PostgresStore(url: "postgres://u:secret@h:notaport/db")
        } catch {
            #expect(!"\(error)".contains("secret"))
        }
    }

    @Test(.enabled(if: PostgresDatabase.server != nil))
    func aRefusedLoginIsOneLine() throws {
        let server = try #require(PostgresDatabase.server)
        do {
            _ = try PostgresStore(url: PostgresStore.url(server, database: "no_such_database_here"))
            Issue.record("opened a database that does not exist")
        } catch let error as StoreError {
            #expect(error.description.contains("no_such_database_here"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(.enabled(if: PostgresDatabase.server != nil))
    func eventsGoToTheirMonthsPartitionAndADryRunLeavesNone() throws {
        let database = try PostgresDatabase()
        let store = try PostgresStore(url: database.url)
        func events(_ writer: any ImportWriter) throws {
            try writer.upsertSite(
                Site(slug: "news", name: "News", kind: "news", baseURL: "https://n.example"), at: here)
            try writer.upsertArticle(Article(site: "news", externalID: "a", title: "A"), at: here)
            for (i, day) in ["2016-02-29T23:59:59Z", "2016-03-01T00:00:00Z", "1969-12-31T12:00:00Z"].enumerated() {
                try writer.addEvent(
                    EngagementEvent(
                        sourceID: "e\(i)", site: "news", article: "a", reader: "r", type: .view,
                        time: try #require(TimestampParser.parse(day))), at: here)
            }
        }
        _ = try store.importRecords(dryRun: true, events)
        #expect(try store.statistics().events == 0)
        #expect(try store.dump().contains("## event\n## event_key\n"))
        let summary = try store.importRecords(dryRun: false, events)
        #expect(summary.events.added == 3)
        var seen: [String] = []
        try store.forEachEvent(from: nil, to: nil) { seen.append($0.sourceID) }
        #expect(seen == ["e2", "e0", "e1"])
        let again = try store.importRecords(dryRun: false, events)
        #expect(again.events.unchanged == 3)
        withExtendedLifetime(database) {}
    }

    /// COPY's text format read back as written: escapes, nulls, the extremes of a bigint, a double to the last bit,
    /// and a failure in the reader's body that leaves the connection usable.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func copiedRowsDecodeWhatTheServerWrote() throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let c = try PostgresConnection(try PostgresLocation(database.url))
        let tricky = "s\t1\\x\n\u{1}é\r\u{7f}"
        var rows: [(String?, Int64?, Int64?, Double?, Bool)] = []
        try c.forEachCopiedRow(
            """
            SELECT * FROM (VALUES ($$\(tricky)$$::text, '-9223372036854775808'::bigint, 9223372036854775807::bigint,
                0.1::float8 + 0.2::float8, NULL::text),
                (NULL, 0, -1, 'Infinity'::float8, ''), ($$\\N$$, 42, NULL, -1.5e-300::float8, 'x')) v
            """
        ) { row in
            rows.append((row.string(0), row.int64(1), row.int64(2), row.double(3), row.isNull(4)))
        }
        #expect(rows.count == 3)
        #expect(rows[0].0 == "s\t1\\x\n\u{1}é\r\u{7f}")
        #expect(rows[0].1 == Int64.min && rows[0].2 == Int64.max && rows[0].3 == 0.1 + 0.2 && rows[0].4)
        #expect(rows[1].0 == nil && rows[1].1 == 0 && rows[1].2 == -1 && rows[1].3 == .infinity && !rows[1].4)
        #expect(rows[2].0 == "\\N" && rows[2].1 == 42 && rows[2].2 == nil && rows[2].3 == -1.5e-300)
        struct Stop: Error {}
        #expect(throws: Stop.self) { try c.forEachCopiedRow("SELECT generate_series(1, 1000)") { _ in throw Stop() } }
        #expect(try c.query("SELECT 7").int(0, 0) == 7)
    }

    /// The import's own COPY encoders: integers and doubles written by ``appendCopyInteger(_:to:)`` and
    /// ``appendCopyDouble(_:to:)`` are stored as the very values (the extremes, signed zero, whole doubles past an
    /// Int64's digits, the special values), and text with every escape as it was.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func theImportsCopyEncodersStoreTheVeryValues() throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let c = try PostgresConnection(try PostgresLocation(database.url))
        let integers: [Int64] = [0, 1, -1, 9, 10, -10, 1_234_567_890_123, .max, .min, .min + 1]
        let doubles: [Double] = [
            0, -0.0, 1, -1, 0.1 + 0.2, 1e15, -1e15 + 1, 1e300, 123_456_789_012_345, .leastNonzeroMagnitude, .infinity,
            -.infinity,
            .nan,
        ]
        let texts = ["", "a\\tb", "tab\there", "line\nfeed", "cr\r", "記事", "\\N", "\u{1}"]
        try c.execute("CREATE TEMPORARY TABLE encoded (i bigint, d double precision, t text)")
        var next = 0
        let count = max(integers.count, doubles.count, texts.count)
        try c.copyIn("COPY encoded FROM STDIN") { out in
            guard next < count else { return false }
            appendCopyInteger(integers[next % integers.count], to: &out)
            out.append(9)
            appendCopyDouble(doubles[next % doubles.count], to: &out)
            out.append(9)
            appendCopyText(texts[next % texts.count], to: &out)
            out.append(10)
            next += 1
            return true
        }
        var back: [(Int64?, Double?, String?)] = []
        try c.forEachCopiedRow("SELECT i, d, t FROM encoded") { back.append(($0.int64(0), $0.double(1), $0.string(2))) }
        #expect(back.count == count)
        for (i, row) in back.enumerated() {
            #expect(row.0 == integers[i % integers.count])
            let d = doubles[i % doubles.count]
            #expect(row.1.map { $0.bitPattern == d.bitPattern || ($0.isNaN && d.isNaN) } == true, "double \(d)")
            #expect(row.2 == texts[i % texts.count])
        }
    }

    /// COPY's binary format as the import writes it (``BinaryCopy``): bigints, integers and doubles to the bit
    /// (the extremes, signed zero, NaN, the infinities), text as its UTF-8 bytes, NULLs, read back as written.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func binaryCopyStoresTheVeryValues() throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let c = try PostgresConnection(try PostgresLocation(database.url))
        let integers: [Int64?] = [0, -1, .max, .min, nil, 1_234_567_890_123]
        let small: [Int32] = [0, -1, .max, .min, 7, 42]
        let doubles: [Double] = [-0.0, .nan, .infinity, -.infinity, 0.1 + 0.2, .leastNonzeroMagnitude]
        let texts: [String?] = ["", nil, "tab\there\\N", "記事\n", "\u{1}", String(repeating: "x", count: 70_000)]
        try c.execute("CREATE TEMPORARY TABLE encoded (n integer, i bigint, s integer, d double precision, t text)")
        var sent = false
        try c.copyIn("COPY encoded FROM STDIN WITH (FORMAT binary)") { out in
            guard !sent else { return false }
            out.append(contentsOf: BinaryCopy.header)
            for k in 0..<integers.count {
                BinaryCopy.tuple(5, to: &out)
                BinaryCopy.int32(Int32(k), to: &out)
                BinaryCopy.int64(integers[k], to: &out)
                BinaryCopy.int32(small[k], to: &out)
                BinaryCopy.double(doubles[k], to: &out)
                BinaryCopy.text(texts[k], to: &out)
            }
            out.append(contentsOf: BinaryCopy.trailer)
            sent = true
            return true
        }
        var back: [(Int64?, Int64?, Double?, String?)] = []
        try c.forEachCopiedRow("SELECT i, s, d, t FROM encoded ORDER BY n") {
            back.append(($0.int64(0), $0.int64(1), $0.double(2), $0.string(3)))
        }
        #expect(back.count == integers.count)
        for (k, row) in back.enumerated() {
            #expect(row.0 == integers[k])
            #expect(row.1 == Int64(small[k]))
            #expect(row.2.map { $0.bitPattern == doubles[k].bitPattern || ($0.isNaN && doubles[k].isNaN) } == true)
            #expect(row.3 == texts[k])
        }
    }

    /// Events gathered for bulk writes (``ImportWriter/appendEvent(_:at:)``) answer as events written one by one:
    /// an id stored before is unchanged, an id repeated by the import is refused at the repetition's line, within
    /// one bulk write or across two, and nothing of a refused import is kept.
    @Test(.enabled(if: PostgresDatabase.server != nil), arguments: [1, 2, 3, 100])
    func gatheredEventsAnswerAsEventsWrittenOneByOne(bulkSize: Int) throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let store = try PostgresStore(url: database.url)
        func event(_ id: String, _ minute: Int64, reader: String? = "r") -> EngagementEvent {
            EngagementEvent(
                sourceID: id, site: "news", article: "a", reader: reader, session: "s\t1\\x", type: .view,
                time: Timestamp(milliseconds: 1_600_000_000_000 + minute * 60_000))
        }
        func importing(_ ids: [String]) -> (any ImportWriter) throws -> Void {
            { writer in
                (writer as? PostgresImportWriter)?.bulkSize = bulkSize
                try writer.upsertSite(
                    Site(slug: "news", name: "N", kind: "news", baseURL: "https://n.example"), at: here)
                try writer.upsertArticle(Article(site: "news", externalID: "a", title: "A"), at: here)
                for (line, id) in ids.enumerated() {
                    try writer.appendEvent(
                        event(id, Int64(line), reader: line % 2 == 0 ? "r\(line)" : nil),
                        at: SourceLocation(file: "events.csv", line: line + 2))
                }
            }
        }
        let first = try store.importRecords(dryRun: false, importing(["e1", "e2", "e3"]))
        #expect(first.events.added == 3)
        #expect(first.readers.added == 2)
        let again = try store.importRecords(dryRun: false, importing(["e1", "e4", "e2"]))
        #expect(again.events.added == 1)
        #expect(again.events.unchanged == 2)
        #expect(again.readers.added == 0)
        // An id stored before, given twice by one import (in one batch or two): unchanged both times, as on SQLite.
        let twice = try store.importRecords(dryRun: false, importing(["e2", "e2"]))
        #expect(twice.events.added == 0 && twice.events.unchanged == 2)
        // A stored reader and a new one in one batch: only the new one is added, and each event names its own.
        let mixed = try store.importRecords(dryRun: false, importing(["e9", "e10", "e11", "e12", "e13"]))
        #expect(mixed.events.added == 5 && mixed.readers.added == 1)
        var readers: [String: String] = [:]
        try store.forEachEvent(from: nil, to: nil) { readers[$0.sourceID] = $0.reader ?? "-" }
        #expect(readers["e9"] == "r0" && readers["e11"] == "r2" && readers["e13"] == "r4" && readers["e10"] == "-")
        let before = try store.dump()
        for (ids, line) in [(["e5", "e6", "e5"], 4), (["e7", "e1", "e8", "e7", "e7"], 5)] {
            #expect {
                try store.importRecords(dryRun: false, importing(ids))
            } throws: { error in
                "\(error)".contains("events.csv:\(line)") && "\(error)".contains("appears twice in this import")
            }
            #expect(try store.dump() == before)
        }
        var sessions: [String?] = []
        try store.forEachEvent(from: nil, to: nil) { sessions.append($0.session) }
        #expect(sessions.count == 9 && sessions.allSatisfy { $0 == "s\t1\\x" })
    }

    /// A batch that meets stored ids goes through the temporary table, and so do the next while they meet some;
    /// once one meets none (the overlap with what was stored has ended), batches go straight in again.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func batchesGoStraightInAgainOnceAnOverlapHasEnded() throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let store = try PostgresStore(url: database.url)
        func importing(
            _ ids: [String], into used: @escaping (PostgresImportWriter) -> Void
        ) -> (any ImportWriter)
            throws -> Void
        {
            { writer in
                let writer = try #require(writer as? PostgresImportWriter)
                writer.bulkSize = 1
                used(writer)
                try writer.upsertSite(
                    Site(slug: "news", name: "N", kind: "news", baseURL: "https://n.example"), at: here)
                try writer.upsertArticle(Article(site: "news", externalID: "a", title: "A"), at: here)
                for (line, id) in ids.enumerated() {
                    try writer.appendEvent(
                        EngagementEvent(
                            sourceID: id, site: "news", article: "a", reader: "r\(line)", session: nil, type: .view,
                            time: Timestamp(seconds: 1_600_000_000 + Int64(line))),
                        at: SourceLocation(file: "events.csv", line: line + 2))
                }
            }
        }
        var writers: [PostgresImportWriter] = []
        _ = try store.importRecords(dryRun: false, importing(["e1", "e2", "e3"]) { writers.append($0) })
        #expect(writers[0].stagedBatches == 0)
        // e1 and e2 are stored: their batches go through the stage; e8 is not, but follows one that met stored
        // ids; e9 and e10 follow one that met none.
        let again = try store.importRecords(
            dryRun: false, importing(["e1", "e2", "e8", "e9", "e10"]) { writers.append($0) })
        #expect(again.events.added == 3 && again.events.unchanged == 2)
        #expect(writers[1].stagedBatches == 3)
        var ids: [String] = []
        try store.forEachEvent(from: nil, to: nil) { ids.append($0.sourceID) }
        #expect(ids.sorted() == ["e1", "e10", "e2", "e3", "e8", "e9"])
    }

    /// Batches grow: every 16 batches the next are twice as large, so that a long import takes few savepoints
    /// (subtransactions; PostgreSQL caches 64 per transaction). 100 events from batches of 1: 16 of 1, 16 of 2,
    /// 13 of 4 (45 batches, against 100 without growing), all stored.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func batchesGrowSoThatALongImportTakesFewSavepoints() throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let store = try PostgresStore(url: database.url)
        var used: PostgresImportWriter?
        let counts = try store.importRecords(dryRun: false) { writer in
            let writer = try #require(writer as? PostgresImportWriter)
            used = writer
            writer.bulkSize = 1
            try writer.upsertSite(Site(slug: "news", name: "N", kind: "news", baseURL: "https://n.example"), at: here)
            try writer.upsertArticle(Article(site: "news", externalID: "a", title: "A"), at: here)
            for line in 0..<100 {
                try writer.appendEvent(
                    EngagementEvent(
                        sourceID: "e\(line)", site: "news", article: "a", reader: "r\(line % 7)", session: nil,
                        type: .view, time: Timestamp(seconds: 1_600_000_000 + Int64(line))),
                    at: SourceLocation(file: "events.csv", line: line + 2))
            }
        }
        #expect(counts.events.added == 100)
        #expect(used?.batches == 45 && used?.bulkSize == 4 && used?.stagedBatches == 0)
        var stored = 0
        try store.forEachEvent(from: nil, to: nil) { _ in stored += 1 }
        #expect(stored == 100)
    }

    /// Batches are written while the import reads on: when a later record fails while an earlier batch is still
    /// being written, the earlier batch's error is the one reported (the first bad record's), and nothing is kept.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func theFirstBadRecordIsReportedWhileABatchIsStillBeingWritten() throws {
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let store = try PostgresStore(url: database.url)
        _ = try store.importRecords(dryRun: false) { writer in
            try writer.upsertSite(Site(slug: "news", name: "N", kind: "news", baseURL: "https://n.example"), at: here)
            try writer.upsertArticle(Article(site: "news", externalID: "a", title: "A"), at: here)
        }
        let before = try store.dump()
        #expect {
            try store.importRecords(dryRun: false) { writer in
                (writer as? PostgresImportWriter)?.bulkSize = 2
                // Lines 2 and 3 fill a batch, handed over at once; line 3 repeats line 2's id. Line 4 names an
                // article that does not exist, refused before that batch's write can have ended.
                for (line, article) in [(2, "a"), (3, "a"), (4, "missing")] {
                    try writer.appendEvent(
                        EngagementEvent(
                            sourceID: "e1", site: "news", article: article, reader: nil, session: nil, type: .view,
                            time: Timestamp(seconds: 1_600_000_000 + Int64(line))),
                        at: SourceLocation(file: "events.csv", line: line))
                }
            }
        } throws: { error in
            "\(error)".contains("events.csv:3") && "\(error)".contains("appears twice in this import")
        }
        #expect(try store.dump() == before)
    }

    /// Announced events (NOTIFY payloads, at most 8,000 bytes each) read back as they were stored: every field,
    /// NULLs, escapes and all, over as many payloads as they need.
    @Test func announcedEventsReadBackWholeOverSeveralPayloads() throws {
        var events: [EngagementEvent] = []
        for i in 0..<300 {
            let even = i % 2 == 0
            let reader: String? = i % 3 == 0 ? nil : "r\n\(i)"
            let session: String? = even ? nil : "s\r"
            let time = Timestamp(milliseconds: 1_700_000_000_123 + Int64(i))
            events.append(
                EngagementEvent(
                    sourceID: "id \(i)\twith\\tab", site: "news", article: "記事-\(i)", reader: reader,
                    session: session, type: even ? .view : .rating, time: time, value: even ? 1 : 0.1 * Double(i)))
        }
        let payloads = EventAnnouncement.payloads(events, from: "me")
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= 8_000 })
        var back: [EngagementEvent] = []
        for payload in payloads {
            let (from, part) = try #require(EventAnnouncement.parse(payload))
            #expect(from == "me")
            back += part
        }
        #expect(back == events)
        #expect(EventAnnouncement.parse("me\nnot\tan event") == nil)
    }

    @Test func monthsAndTheirBoundsAreUTCCalendarMonths() {
        #expect(PostgresSchema.partition(of: 0).name == "event_y1970m01")
        #expect(PostgresSchema.partition(of: 0).from == "0")
        #expect(PostgresSchema.partition(of: 0).to == String(31 * Timestamp.millisecondsPerDay))
        #expect(PostgresSchema.partition(of: -1).name == "event_y1969m12")
        // 2016 is a leap year: February has 29 days.
        let march2016 = TimestampParser.parse("2016-03-01T00:00:00Z")!.milliseconds
        #expect(PostgresSchema.partition(of: march2016 - 1).name == "event_y2016m02")
        #expect(PostgresSchema.partition(of: march2016).from == String(march2016))
        #expect(PostgresSchema.partition(of: Int64.max).to == "MAXVALUE")
        #expect(PostgresSchema.partition(of: Int64.min).from == "MINVALUE")
    }
}
