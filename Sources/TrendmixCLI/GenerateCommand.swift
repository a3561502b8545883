import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic workload in the canonical format (sites.csv, articles.csv, events.csv).",
        discussion: "The model is documented on WorkloadGenerator: Zipf popularity that shifts as articles age, "
            + "readers who visit other partner sites, sessions. The same options and seed give identical files.")

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Option(help: "Partner sites (kinds cycle: news, travel, blog, lifestyle).") var sites = 4
    @Option(help: "Articles across all sites.") var articles = 10_000
    @Option(help: "Readers.") var readers = 50_000
    @Option(help: "Events.") var events = 1_000_000
    @Option(help: "Days the events span.") var days = 30
    @Option(help: "End of the span (exclusive): \(Timestamp.argumentForms).")
    var end = Timestamp(milliseconds: 1_767_225_600_000)  // 2026-01-01T00:00:00Z
    @Option(help: "Share of events on fresh articles (0...1); the rest follow the evergreen Zipf law.")
    var freshShare = 0.6
    @Option(help: "Share of visits to a site other than the reader's home site (0...1).") var crossSiteShare = 0.3
    @Option(help: "Zipf exponent of article popularity and reader activity.") var zipf = 1.0
    @Option(help: "Mean events per session.") var sessionLength = 3.0
    @Option(help: "Distinct tags.") var tags = 500
    @Option(help: "Random seed.") var seed: UInt64 = 42

    func validate() throws {
        guard sites >= 1, sites <= 1000 else { throw ValidationError("--sites must be 1 to 1000") }
        guard articles >= sites else { throw ValidationError("--articles must be at least --sites") }
        guard readers >= 1 else { throw ValidationError("--readers must be at least 1") }
        guard events >= 0 else { throw ValidationError("--events must not be negative") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
        guard (0...1).contains(freshShare) else { throw ValidationError("--fresh-share must be from 0 to 1") }
        guard (0...1).contains(crossSiteShare) else { throw ValidationError("--cross-site-share must be from 0 to 1") }
        guard zipf > 0, zipf <= 5 else { throw ValidationError("--zipf must be above 0 and at most 5") }
        guard sessionLength >= 1 else { throw ValidationError("--session-length must be at least 1") }
        guard tags >= 1 else { throw ValidationError("--tags must be at least 1") }
    }

    func run() async throws {
        var p = WorkloadGenerator.Parameters()
        p.sites = sites
        p.articles = articles
        p.readers = readers
        p.events = events
        p.days = days
        p.end = end
        p.freshShare = freshShare
        p.crossSiteShare = crossSiteShare
        p.zipfExponent = zipf
        p.meanSessionLength = sessionLength
        p.tagVocabulary = tags
        p.seed = seed
        let started = Date()
        try await reportingErrors {
            let output = try WorkloadGenerator(parameters: p).write(to: out)
            let seconds = Date().timeIntervalSince(started)
            print(
                "wrote \(output.sites) sites, \(output.articles) articles, \(output.events) events by \(output.readers) readers "
                    + "(\(output.bytes / 1_000_000) MB) to \(out) in \(String(format: "%.2f", seconds)) s")
        }
    }
}
