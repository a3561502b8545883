import Foundation
import Testing
import TrendmixTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 21, item 4: PostgreSQL stopped and started again under load. While it is down, reads answer from the
/// model in memory and writes answer 503 with Retry-After; after it is back, full service, without restarting
/// the server.
@Suite(.serialized) struct PostgresFaultTests {
    @Test(.enabled(if: PostgresDatabase.server != nil))
    func aServerOutlivesItsDatabaseGoingAwayAndComingBack() async throws {
        let cluster = try PostgresCluster()
        defer { withExtendedLifetime(cluster) {} }
        let dir = try TemporaryDirectory("cli-pg-fault")
        for (name, text) in Fixtures.canonical { try dir.write("data/\(name)", text) }
        // The cluster is this test's own: its maintenance database will do.
        let db = cluster.url
        let imported = try await CLIRunner.run(["import", "canonical", dir.file("data"), "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let built = try await CLIRunner.run(["build", "--db", db])
        #expect(built.status == 0, "\(built.stderr)")
        let (server, base) = try ServeTests.start(db: db)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        /// One read and one write: their statuses and the write's Retry-After.
        var serial = 0
        func round() async throws -> (read: Int, write: Int, retryAfter: String?) {
            let read = try await URLSession.shared.data(
                from: try #require(URL(string: base + "/v1/sites/news/trending?k=4")))
            serial += 1
            var request = URLRequest(url: try #require(URL(string: base + "/v1/events")))
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(
                #"{"events": [{"id": "f\#(serial)", "site": "news", "article": "n1", "type": "view", "time": "2024-02-29T10:00:00Z"}]}"#
                    .utf8)
            let write = try await URLSession.shared.data(for: request)
            let w = write.1 as? HTTPURLResponse
            return (
                (read.1 as? HTTPURLResponse)?.statusCode ?? 0, w?.statusCode ?? 0,
                w?.value(forHTTPHeaderField: "Retry-After")
            )
        }
        let healthy = try await round()
        #expect(healthy.read == 200 && healthy.write == 200)
        try cluster.stop()
        var down: [(read: Int, write: Int, retryAfter: String?)] = []
        for _ in 0..<10 { down.append(try await round()) }
        #expect(down.allSatisfy { $0.read == 200 }, "reads answer from the model in memory")
        #expect(down.allSatisfy { $0.write == 503 && $0.retryAfter != nil }, "\(down.map(\.write))")
        try cluster.start()
        var back = try await round()
        let started = Date()
        while back.write != 200, Date().timeIntervalSince(started) < 10 { back = try await round() }
        #expect(back.read == 200 && back.write == 200, "full service once the database is back")
        #expect(server.isRunning)
    }
}
