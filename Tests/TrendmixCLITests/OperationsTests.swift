import Foundation
import Testing
import TrendmixTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 22, item 6, as an operator runs it: a backup taken while `trendmix serve` answers and stores events,
/// checked and restored; `prune`; one access-log line per request.
@Suite(.serialized) struct OperationsTests {
    /// The canonical fixture imported and built, as a user would.
    static func database(_ dir: TemporaryDirectory) async throws -> String {
        let data = try TemporaryDirectory("ops-data")
        for (name, text) in Fixtures.canonical { try data.write(name, text) }
        let db = dir.file("live.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", data.path, "--db", db]).status == 0)
        #expect(try await CLIRunner.run(["build", "--db", db, "--now", "2024-03-01T12:00:00Z"]).status == 0)
        return db
    }

    static func sqlite(_ db: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aBackupTakenWhileServingIsWholeAndRestores() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            Issue.record("needs the sqlite3 shell (apt-get install sqlite3; .ci/run installs it)")
            return
        }
        let dir = try TemporaryDirectory("ops")
        let db = try await Self.database(dir)
        guard let cli = Locations.cli else { throw CLIRunner.Failure.notBuilt }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: cli)
        server.arguments = ["serve", "--db", db, "--port", "0", "--log-level", "info"]
        let out = Pipe()
        server.standardOutput = out
        let log = dir.file("serve.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        server.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let url = try #require(String(decoding: line, as: UTF8.self).split(separator: " ").last)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // Events posted while the backup runs: 40 batches of 25.
        let writer = Task {
            var stored = 0
            for batch in 0..<40 {
                let events = (0..<25).map { i in
                    #"{"id":"live-\#(batch)-\#(i)","site":"travel","article":"t1","type":"view","time":"2024-03-01T11:00:00Z"}"#
                }
                var request = URLRequest(url: URL(string: url + "/v1/events")!)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(#"{"events":[\#(events.joined(separator: ","))]}"#.utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                if (response as? HTTPURLResponse)?.statusCode == 200 { stored += 25 }
            }
            return stored
        }
        try await Task.sleep(for: .milliseconds(100))
        let copy = dir.file("backup.sqlite")
        let backup = try await CLIRunner.run(["backup", "--db", db, "--to", copy])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("integrity_check ok"))
        let posted = try await writer.value
        #expect(posted == 1_000)

        // The copy is whole, and holds a moment of the live database: the fixture's 8 events and some of the 1,000.
        #expect(try Self.sqlite(copy, "PRAGMA integrity_check") == "ok")
        let copied = Int(try Self.sqlite(copy, "SELECT count(*) FROM event")) ?? -1
        #expect((8...1_008).contains(copied), "\(copied)")
        print("backup taken while 1,000 events were posted: \(copied - 8) of them in the copy")
        #expect(try Self.sqlite(copy, "SELECT count(*) FROM event WHERE source_id LIKE 'live-%'") == String(copied - 8))
        // A second backup to the same name is refused, the first left as it was.
        let again = try await CLIRunner.run(["backup", "--db", db, "--to", copy])
        #expect(again.status != 0 && again.stderr.contains("exists"), "\(again.stderr)")
        let nowhere = try await CLIRunner.run(["backup", "--db", db, "--to", dir.file("missing/b.sqlite")])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("does not exist"), "\(nowhere.stderr)")

        // One access-log line per request: method, path, status, latency.
        var health = URLRequest(url: URL(string: url + "/healthz")!)
        health.httpMethod = "GET"
        _ = try await URLSession.shared.data(for: health)
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        let lines = (try String(contentsOfFile: log, encoding: .utf8)).split(separator: "\n")
        #expect(
            lines.filter { $0.contains("POST /v1/events 200 ") && $0.hasSuffix(" ms route=/v1/events") }.count == 40)
        #expect(lines.contains { $0.contains("GET /healthz 200 ") })

        // Restore as docs/operations.md says: the server stopped, its -wal and -shm removed, the copy put in place.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try FileManager.default.copyItem(atPath: copy, toPath: db)
        let stats = try await CLIRunner.run(["stats", "--db", db, "--json"])
        #expect(stats.status == 0 && stats.stdout.contains("\"events\" : \(copied),"), "\(stats.stdout.prefix(300))")
    }

    @Test func pruneCountsThenDeletesWhatIsOlderThanItKeeps() async throws {
        let dir = try TemporaryDirectory("ops")
        let db = try await Self.database(dir)
        // The fixture's 8 events run from 28 February 10:00 to 29 February 11:00, 2024. One day back from
        // 1 March 09:00 is 29 February 09:00: e1, e2 (28 February) and e3 (29 February 08:00) are older, and the
        // daily row of 28 February.
        let dry = try await CLIRunner.run(
            ["prune", "--db", db, "--keep-days", "1", "--now", "2024-03-01T09:00:00Z", "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains(#""events":3"#) && dry.stdout.contains(#""dry_run":true"#), "\(dry.stdout)")
        #expect(dry.stdout.contains(#""daily_rows":1"#), "\(dry.stdout)")
        let real = try await CLIRunner.run(
            ["prune", "--db", db, "--keep-days", "1", "--now", "2024-03-01T09:00:00Z"])
        #expect(real.status == 0 && real.stdout.contains("deleted 3 events, 1 daily rows"), "\(real.stdout)")
        let stats = try await CLIRunner.run(["stats", "--db", db, "--json"])
        #expect(stats.stdout.contains(#""events" : 5,"#), "\(stats.stdout.prefix(300))")
        let bad = try await CLIRunner.run(["prune", "--db", db, "--keep-days", "-3"])
        #expect(bad.status != 0 && bad.stderr.contains("--keep-days"))
    }
}
