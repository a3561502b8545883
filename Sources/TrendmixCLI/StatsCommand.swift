import ArgumentParser
import Foundation
import Trendmix

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts per site and event type, readers and time span.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON for machines.")
    var json = false

    func validate() throws { try database.requireExisting() }

    func run() async throws {
        try await reportingErrors {
            let stats = try Stores.open(database.db, readOnly: true).statistics()
            if json {
                try printJSON(stats)
            } else {
                print(
                    stats.text.split(separator: "\n", omittingEmptySubsequences: false).map { terminalSafe(String($0)) }
                        .joined(separator: "\n"))
            }
        }
    }
}
