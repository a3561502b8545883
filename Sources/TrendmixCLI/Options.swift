import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

/// The database every subcommand works on.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The SQLite database file (created if missing), or a PostgreSQL URL "
                + "(postgres://user@host:port/dbname); default: $TRENDMIX_DB.",
            valueName: "file-or-url"))
    var location: String?

    /// `--db`, else `TRENDMIX_DB`.
    var db: String { location ?? ProcessInfo.processInfo.environment["TRENDMIX_DB"] ?? "" }

    func validate() throws {
        guard !db.isEmpty else {
            throw ValidationError(
                "name the database: --db FILE or --db postgres://user@host:port/dbname, or TRENDMIX_DB")
        }
    }

    /// Refuses a database file that does not exist (commands that only read must not create one). A PostgreSQL
    /// database is checked when it is opened.
    func requireExisting() throws {
        guard Stores.isServer(db) || FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); create one with 'trendmix import' or 'trendmix demo'")
        }
    }
}
