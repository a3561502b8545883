import ArgumentParser
import Foundation
import TrendmixCore

/// The database every subcommand works on.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (created if missing).")
    var db: String

    /// Refuses a database file that does not exist (commands that only read must not create one).
    func requireExisting() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); create one with 'trendmix import' or 'trendmix demo'")
        }
    }
}
