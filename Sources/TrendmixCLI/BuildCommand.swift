import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compute the model (neighbours, trending, reader affinities) and store it in the database.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ModelOptions

    func validate() throws {
        try database.requireExisting()
    }

    func run() async throws {
        try await reportingErrors {
            let store = try Stores.open(database.db)
            let started = Date()
            let engine = try await RecommendationEngine.build(
                store: store, configuration: try options.configuration(), now: options.now)
            let built = Date().timeIntervalSince(started)
            for warning in engine.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            try await engine.save(to: store)
            let m = engine.model
            let t = engine.timings
            print(
                "built the model for \(engine.stamp.builtFor) in \(String(format: "%.2f", built)) s "
                    + "(reading \(t.events) events \(t.snapshot), computing \(t.model))")
            print(
                "  \(m.articles.count) articles, \(m.neighbours.neighbours.count) neighbour pairs, "
                    + "\(m.affinity.articles.count) reader affinities, \(m.neighbours.basketCount) baskets")
            print("  configuration \(engine.stamp.configurationHash)")
            if let calibration = m.calibration {
                print("  calibrated in \(t.calibration)")
                for line in calibration.lines { print("  " + line) }
            }
            print("stored in \(database.db) (\(String(format: "%.2f", Date().timeIntervalSince(started))) s in all)")
        }
    }
}
