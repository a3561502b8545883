import Foundation
import Synchronization
import Testing
import TrendmixTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The command line on a PostgreSQL URL: the same commands, the same answers as on a SQLite file (issue 21).
@Suite(.serialized) struct PostgresCLITests {
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func importStatsBuildAndRecommendAnswerAsOnSQLite() async throws {
        let dir = try TemporaryDirectory("cli-pg")
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let file = dir.file("t.sqlite")
        var answers: [[String]] = []
        for db in [file, database.url] {
            let imported = try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db, "--json"])
            #expect(imported.status == 0, "\(imported.stderr)")
            // A bad file: refused with its line and field, nothing kept, on either store.
            try dir.write(
                "bad/events.csv", "id,site,article,type,time\nz1,news,n1,view,2024-01-01\nz2,news,n1,stare,2024-01-01\n"
            )
            let bad = try await CLIRunner.run(["import", "canonical", dir.file("bad"), "--db", db])
            #expect(bad.status == 65)
            #expect(bad.stderr.contains("events.csv:3: field 'type' = \"stare\""), "\(bad.stderr)")
            let built = try await CLIRunner.run(["build", "--db", db])
            #expect(built.status == 0, "\(built.stderr)")
            let stats = try await CLIRunner.run(["stats", "--db", db, "--json"])
            let box = try await CLIRunner.run(["recommend", "--db", db, "--article", "news:n1", "--json", "--explain"])
            #expect(box.status == 0, "\(box.stderr)")
            answers.append([imported.stdout, stats.stdout, box.stdout])
        }
        #expect(answers[0] == answers[1])
        // TRENDMIX_DB stands for --db.
        let viaEnvironment = try await CLIRunner.run(
            ["stats", "--json"], environment: ["TRENDMIX_DB": database.url])
        #expect(viaEnvironment.stdout == answers[0][1], "\(viaEnvironment.stderr)")
    }

    /// Issue 21, item 4: two servers over one database. An event posted to one reaches the other's trending
    /// within 2 s, and both then answer alike.
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func anEventPostedToOneServerReachesTheOthersTrending() async throws {
        let dir = try TemporaryDirectory("cli-pg-two")
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        for (name, text) in Fixtures.canonical { try dir.write("data/\(name)", text) }
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("data"), "--db", database.url]).status == 0)
        let built = try await CLIRunner.run(["build", "--db", database.url])
        #expect(built.status == 0, "\(built.stderr)")
        let (a, urlA) = try ServeTests.start(db: database.url)
        let (b, urlB) = try ServeTests.start(db: database.url)
        defer {
            a.terminate()
            b.terminate()
            a.waitUntilExit()
            b.waitUntilExit()
        }
        let path = "/v1/sites/news/trending?k=8&explain=true"
        func get(_ base: String) async throws -> (body: String, tag: String) {
            let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: base + path)))
            let tag = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "ETag") ?? ""
            return (String(decoding: data, as: UTF8.self), tag)
        }
        let before = try await get(urlB)
        // The box's first item, read some more on its own site by new readers.
        let box = try JSONSerialization.jsonObject(with: Data(before.body.utf8)) as? [String: Any]
        let first = try #require((box?["items"] as? [[String: Any]])?.first)
        let site = try #require(first["site"] as? String)
        let article = try #require(first["article"] as? String)
        // At the moment the model was built for, so that the likes count as recent.
        let (health, _) = try await URLSession.shared.data(from: try #require(URL(string: urlA + "/healthz")))
        let model = (try JSONSerialization.jsonObject(with: health) as? [String: Any])?["model"] as? [String: Any]
        let time = try #require(model?["built_for"] as? String)
        let events = (0..<5).map {
            #"{"id": "two-\#($0)", "site": "\#(site)", "article": "\#(article)", "type": "like", "time": "\#(time)", "reader": "new-\#($0)"}"#
        }
        var request = URLRequest(url: try #require(URL(string: urlA + "/v1/events")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"events": [\#(events.joined(separator: ","))]}"#.utf8)
        let (posted, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: posted, as: UTF8.self))")
        let started = Date()
        var after = try await get(urlB)
        while after.tag == before.tag, Date().timeIntervalSince(started) < 5 {
            try await Task.sleep(for: .milliseconds(50))
            after = try await get(urlB)
        }
        let waited = Date().timeIntervalSince(started)
        #expect(after.tag != before.tag && waited < 2, "server B took \(waited) s")
        #expect(after.body != before.body)
        #expect(try await get(urlA).body == after.body)

        // A rebuild while a client drives both servers: each swaps the new model in whole, no request fails.
        func stamp(_ base: String) async throws -> String {
            let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "/healthz")))
            let model = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["model"] as? [String: Any]
            return model?["computed_at"] as? String ?? ""
        }
        let old = try await stamp(urlA)
        // Stopped by a flag, not by cancelling the task: cancelling a request in flight can crash
        // FoundationNetworking ("a task that is not in the registry").
        let stop = Mutex(false)
        let driving = Task {
            var failures: [String] = []
            var requests = 0
            // At least 20 requests, however fast the swap (a quick one left only a few in the window).
            while !stop.withLock({ $0 }) || requests < 20 {
                for base in [urlA, urlB] {
                    let url = URL(string: base + path)!
                    do {
                        let status = (try await URLSession.shared.data(from: url).1 as? HTTPURLResponse)?.statusCode
                        requests += 1
                        if status != 200 { failures.append("status \(status.map(String.init) ?? "none")") }
                    } catch {
                        requests += 1
                        failures.append("\(error)")
                    }
                }
            }
            return (requests, failures)
        }
        let rebuilt = try await CLIRunner.run(["build", "--db", database.url])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let swapStarted = Date()
        var swapped = false
        while !swapped, Date().timeIntervalSince(swapStarted) < 10 {
            try await Task.sleep(for: .milliseconds(100))
            let (a, b) = (try await stamp(urlA), try await stamp(urlB))
            swapped = a != old && b != old && a == b
        }
        stop.withLock { $0 = true }
        let (requests, failures) = await driving.value
        #expect(swapped, "both servers serve the new model")
        #expect(
            requests >= 20 && failures.isEmpty,
            "\(failures.count) of \(requests) requests failed: \(failures.prefix(3))"
        )
    }

    @Test func anUnreachableServerIsOneLineAndExit75() async throws {
        let result = try await CLIRunner.run(["stats", "--db", "postgres://someone:hunter2@127.0.0.1:1/trendmix"])
        #expect(result.status == 74 || result.status == 75)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("127.0.0.1:1"))
        #expect(!result.stderr.contains("hunter2"))
    }
}
