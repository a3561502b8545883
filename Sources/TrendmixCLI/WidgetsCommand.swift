import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct WidgetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "widgets",
        abstract:
            "Write every site's widget (and with --per-article every article's) as JSON and HTML, from the stored model.",
        discussion: """
            Output: sites/<slug>.json|.html, articles/<site>/<shard>/<id>.json|.html, widgets.jsonl (all widgets, one per line) \
            and index.html (a preview page). The folder is replaced only when everything was written.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ModelOptions
    @Option(
        help: ArgumentHelp(
            "Output folder, replaced as a whole: a new or empty folder, or one an earlier run wrote.",
            discussion:
                "Refused: a folder holding other files or the database, the current folder, / and the home folder."
        )) var out: String
    @Option(name: .customLong("site"), help: "A host site (repeatable); all sites when absent.") var sites: [String] =
        []
    @Flag(help: "Also one widget per article: related articles from the other sites.") var perArticle = false
    @Option(help: "Items per widget (default: the configuration's mix.k, 8 unless set).") var k: Int?
    @Option(help: "Formats: json, html or json,html.") var format = "json,html"

    func validate() throws {
        try database.requireExisting()
        if let k, !MixConfiguration.boxSizes.contains(k) {
            throw ValidationError("--k must be from 1 to \(MixConfiguration.boxSizes.upperBound)")
        }
        let formats = format.split(separator: ",").map(String.init)
        guard !formats.isEmpty, formats.allSatisfy({ WidgetJob.Format(rawValue: $0) != nil }) else {
            throw ValidationError("--format must be json, html or json,html")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let engine = try await options.loadEngine(database)
            var job = WidgetJob.Options()
            job.sites = sites
            job.perArticle = perArticle
            job.k = k ?? engine.configuration.model.mix.k
            job.now = options.now
            job.formats = Set(format.split(separator: ",").compactMap { WidgetJob.Format(rawValue: String($0)) })
            job.database = database.db
            let bar = ProgressBar(label: "widgets")
            let summary = try Interruption.whileRunning { isCancelled in
                job.isCancelled = isCancelled
                defer { bar.finish() }
                return try WidgetJob(engine: engine, options: job).run(to: out) { done, total in
                    bar.update(done: Int64(done), total: Int64(total))
                }
            }
            if summary.empty > 0 {
                FileHandle.standardError.write(
                    Data(
                        ("warning: \(summary.empty) of \(summary.siteWidgets + summary.articleWidgets) widgets are "
                            + "empty: nothing in the catalogue was eligible for them (published by the moment "
                            + "computed for, not excluded)\n").utf8))
            }
            print(
                "wrote \(summary.siteWidgets) site widgets and \(summary.articleWidgets) article widgets "
                    + "(\(summary.empty) empty) to \(summary.folder) in \(String(format: "%.2f", summary.seconds)) s")
            print("preview: \(summary.preview)")
        }
    }
}
