import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct TrendingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trending", abstract: "The mix of what is trending on the other sites, for a host site's box.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ModelOptions
    @Option(help: "The host site's slug.") var site: String
    @Option(help: "Only articles with this tag (repeatable).") var tag: [String] = []
    @Option(help: "Only articles from this site (repeatable).") var from: [String] = []
    @OptionGroup var box: BoxOptions

    func validate() throws { try database.requireExisting() }

    func run() async throws {
        try await reportingErrors {
            let engine = try await options.loadEngine(database)
            box.warnUnknownExclusions(engine)
            let items = try engine.trending(
                host: site, reader: box.reader, k: box.k, exclude: box.exclude, tags: tag, sites: from,
                now: options.now)
            try printItems(items, json: box.json, explain: box.explain)
            try requireItems(items, box: "the box on \(site)")
        }
    }
}
