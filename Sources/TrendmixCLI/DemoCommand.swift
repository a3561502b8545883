import ArgumentParser
import Foundation
import Trendmix

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a fresh SQLite database from the demo data in Data/ and show what it holds.")

    @Option(help: "The demo data folder (canonical format).")
    var data = "Data"

    @Option(help: "The database file to (re)create.")
    var db = "demo.sqlite"

    @Option(help: "The folder for the demo's widgets (replaced).")
    var widgets = "demo-widgets"

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no demo data folder at '\(data)'; run from the repository root or pass --data")
        }
    }

    func run() throws {
        try reportingErrors {
            let bar = ProgressBar(label: "importing demo data")
            let started = Date()
            let result = try Demo.run(dataFolder: data, databasePath: db, widgetsFolder: widgets) {
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
            print(
                "Next: trendmix trending --db \(db) --site <slug> --explain; trendmix recommend --db \(db) --article <URL>"
            )
        }
    }
}
