import Foundation
import Testing
import TrendmixTestSupport

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

    @Test func anUnreachableServerIsOneLineAndExit75() async throws {
        let result = try await CLIRunner.run(["stats", "--db", "postgres://someone:hunter2@127.0.0.1:1/trendmix"])
        #expect(result.status == 74 || result.status == 75)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("127.0.0.1:1"))
        #expect(!result.stderr.contains("hunter2"))
    }
}
