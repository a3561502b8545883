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

/// Checks a time option's text, naming the forms and the range accepted when it is refused.
func requireTime(_ option: String, _ text: String?) throws {
    guard let text, TimestampParser.parse(text) == nil else { return }
    throw ValidationError(
        "\(option) is not a time between 1900 and 2200 (ISO 8601 such as 2016-10-10 or 2020-05-31T01:40:47Z, "
            + "or Unix seconds): \(text)")
}
