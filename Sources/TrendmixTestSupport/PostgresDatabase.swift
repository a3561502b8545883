import Foundation
import TrendmixStore

/// A new, empty PostgreSQL database for one test, dropped when the value goes away.
///
/// The server is the one `TRENDMIX_TEST_POSTGRES` names (a URL such as `postgres://postgres@127.0.0.1:55432/postgres`,
/// whose database is only connected to); `.ci/run` starts one and sets it. Without it, PostgreSQL cases are left
/// out with a message, unless `TRENDMIX_REQUIRE_POSTGRES=1` (CI), where that is a failure.
public final class PostgresDatabase: Sendable {
    public let url: String
    public let name: String
    private let server: String

    /// The server's URL, or `nil` when no test server is configured.
    public static var server: String? {
        let url = ProcessInfo.processInfo.environment["TRENDMIX_TEST_POSTGRES"]
        return url?.isEmpty == false ? url : nil
    }

    /// Whether the environment demands PostgreSQL tests (CI).
    public static var required: Bool { ProcessInfo.processInfo.environment["TRENDMIX_REQUIRE_POSTGRES"] == "1" }

    public init() throws {
        guard let server = Self.server else {
            throw PostgresDatabaseError.noServer
        }
        self.server = server
        name = "trendmix_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        url = try PostgresStore.createDatabase(name, on: server)
    }

    deinit { try? PostgresStore.dropDatabase(name, on: server) }
}

public enum PostgresDatabaseError: Error, CustomStringConvertible {
    case noServer

    public var description: String {
        "no PostgreSQL test server: set TRENDMIX_TEST_POSTGRES to a server URL (see .ci/run)"
    }
}

/// A PostgreSQL cluster of a test's own (`scripts/postgres-test-server.sh`), which the test may stop and start
/// again: the fault tests. Removed when the value goes away. Needs PostgreSQL installed (it is where
/// `TRENDMIX_TEST_POSTGRES` is set: `.ci/run` installs it).
public final class PostgresCluster: Sendable {
    /// The cluster's maintenance database, `postgres://postgres@127.0.0.1:PORT/postgres`.
    public let url: String
    private let folder: String

    public init() throws {
        let out = try Self.script(
            "start_postgres_test_server >/dev/null && echo \"$POSTGRES_TEST_DIR $TRENDMIX_TEST_POSTGRES\"")
        let parts = out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard parts.count == 2 else { throw PostgresDatabaseError.noServer }
        (folder, url) = (parts[0], parts[1])
    }

    deinit { _ = try? Self.script("POSTGRES_TEST_DIR=\(folder) stop_postgres_test_server") }

    /// Stops the server (fast shutdown: connections are cut), keeping its data.
    public func stop() throws { _ = try Self.script("POSTGRES_TEST_DIR=\(folder) pause_postgres_test_server") }

    /// Starts it again on the same port.
    public func start() throws { _ = try Self.script("POSTGRES_TEST_DIR=\(folder) resume_postgres_test_server") }

    private static func script(_ command: String) throws -> String {
        // The output goes through a file, not a pipe: the server the script starts would inherit the pipe's
        // descriptors and keep it open for as long as it runs. `system` rather than `Process`: Foundation's
        // `waitUntilExit` never saw this shell exit (it stayed a zombie) once it had started a server.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pg-cluster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let script = "\(Locations.packageRoot)/scripts/postgres-test-server.sh"
        let status = system(
            "bash -c 'source \"\(script)\" && { \(command); }' >'\(output.path)' 2>/dev/null </dev/null")
        guard status == 0 else { throw PostgresDatabaseError.noServer }
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }
}
