import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the database's sites, articles, events and daily counts in the canonical CSV format.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Option(name: .customLong("site"), help: "A site to export (repeatable); all sites when absent.")
    var sites: [String] = []

    @Option(help: "Shift each site's times by whole days so that its last event falls on this date (YYYY-MM-DD).")
    var alignEnd: Timestamp?

    func validate() throws {
        if let alignEnd, alignEnd.milliseconds % Timestamp.millisecondsPerDay != 0 {
            throw ValidationError("--align-end must be a date such as 2026-11-01, not a time of day")
        }
        try database.requireExisting()
    }

    func run() async throws {
        try await reportingErrors {
            let store = try Stores.open(database.db, readOnly: true)
            let exporter = CanonicalExporter(
                store: store, sites: sites, alignEnd: alignEnd)
            let output = try exporter.write(to: out)
            print(
                "wrote \(output.sites) sites, \(output.articles) articles, \(output.events) events, \(output.daily) daily rows, \(output.links) links, \(output.interactions) impressions and clicks to \(out)"
            )
        }
    }
}
