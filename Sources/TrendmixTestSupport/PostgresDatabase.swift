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
