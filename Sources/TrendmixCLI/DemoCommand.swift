import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore
import TrendmixEvaluation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a fresh SQLite database from the demo data in Data/ and show what it holds.")

    @Option(help: "The demo data folder (canonical format).")
    var data = "Data"

    @Option(help: "The database file to (re)create.")
    var db = "demo.sqlite"

    @Option(help: "The folder for the demo's widgets (replaced).")
    var widgets = "demo-widgets"

    @Option(help: "The folder for the demo's evaluation report.")
    var report = "Evaluation/reports/demo"

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no demo data folder at '\(data)'; run from the repository root or pass --data")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let bar = ProgressBar(label: "importing demo data")
            let started = Date()
            let result = try await Demo.run(dataFolder: data, databasePath: db, widgetsFolder: widgets) {
                bar.update(done: $0, total: $1)
            }
            bar.finish()
            print(
                "Trendmix demo: imported \(data)/ into \(db) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
            )
            print(result.summary.text)
            print("")
            print(result.statistics.text)
            print("")
            print(
                "Built the model for \(result.engine.stamp.builtFor) (configuration \(result.engine.stamp.configurationHash))."
            )
            print("")
            print("A mix of what's trending on our other sites (the box on \(result.mixHost)):")
            try printItems(result.mix, json: false, explain: false)
            if let seed = result.relatedSeed {
                print("")
                print("Readers of \"\(seed.title ?? seed.article)\" (\(seed.siteName)) also read:")
                try printItems(result.related, json: false, explain: true)
            }
            print("")
            try await evaluate(result.engine)
            print("")
            print(
                "Next: trendmix trending --db \(db) --site <slug> --explain; trendmix recommend --db \(db) --article <URL>;"
            )
            print("      trendmix evaluate --db \(db) --protocol all (Evaluation/README.md)")
        }
    }

    /// A short evaluation of the demo data: each reader's last article held out, and the trending prediction
    /// of the widget job, against the baselines (SAR needs Python: `trendmix evaluate --python`).
    func evaluate(_ engine: RecommendationEngine) async throws {
        let store = try Stores.open(db)
        let snapshot = try await store.snapshot(from: nil, to: nil)
        var plan = EvaluationPlan(
            protocols: [.leaveLastOut, .trendingPrediction(.fraction(0.8), horizon: .days(7), origins: 12)],
            configurations: [("Trendmix", engine.configuration.model)],
            workdir: NSTemporaryDirectory() + "trendmix-demo-\(getpid())")
        plan.options.resamples = 300
        let bar = ProgressBar(label: "evaluating")
        let outcome = try plan.run(
            snapshot: snapshot,
            progress: { _, done, total in
                bar.update(done: Int64(done), total: Int64(total))
            })
        bar.finish()
        let results = outcome.runs.map(\.result)
        guard !results.isEmpty else { return }
        let html = try Report.write(
            results, title: "Trendmix demo evaluation", command: "trendmix demo --db \(db)", to: report)
        print("A short evaluation on the demo data (95 % intervals; ≈: not significantly different from Trendmix):")
        for result in results { print(evaluationSummary(result)) }
        print("Evaluation report: \(html)")
    }
}
