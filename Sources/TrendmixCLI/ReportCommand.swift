import ArgumentParser
import Foundation
import Trendmix

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports on what the widgets did.", subcommands: [CTR.self])

    struct CTR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ctr",
            abstract: "Click-through of the widgets, with 95 % intervals and a test between A/B variants.",
            discussion: """
                From the impressions and clicks stored by POST /v1/impressions (what /v1/embed.js sends). Each
                group's rate has its Wilson score interval; with 'variant' in --by, each variant is compared with
                the control of the same group (the first variant where there is none) by a two-proportion z-test.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(
            help: ArgumentHelp(
                "What to break the rates down by, comma-separated: variant, placement, position, site.",
                valueName: "dimensions"))
        var by = "variant"

        @Flag(help: "Print JSON for machines.")
        var json = false

        func validate() throws {
            try database.requireExisting()
            _ = try Self.dimensions(by)
        }

        static func dimensions(_ text: String) throws -> [InteractionDimension] {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            var out: [InteractionDimension] = []
            for name in names {
                guard let d = InteractionDimension(rawValue: name) else {
                    throw ValidationError(
                        "--by: unknown dimension '\(name)'; use variant, placement, position or site")
                }
                guard !out.contains(d) else { throw ValidationError("--by: '\(name)' is given twice") }
                out.append(d)
            }
            return out
        }

        func run() async throws {
            try await reportingErrors {
                let report = try CTRReport(
                    store: try Stores.open(database.db, readOnly: true), by: try Self.dimensions(by))
                if json {
                    print(report.json)
                } else {
                    print(report.text.split(separator: "\n").map { terminalSafe(String($0)) }.joined(separator: "\n"))
                }
            }
        }
    }
}
