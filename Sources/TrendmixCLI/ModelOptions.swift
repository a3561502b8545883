import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

/// `--config` and `--now`, shared by the commands that build or query a model.
struct ModelOptions: ParsableArguments {
    @Option(help: "A JSON file overriding configuration defaults (docs/configuration.md).")
    var config: String?

    @Option(help: "The moment to compute for (\(Timestamp.argumentForms)); default: the latest event / the model's.")
    var now: Timestamp?

    func validate() throws {
        if let config, !FileManager.default.fileExists(atPath: config) {
            throw ValidationError("no configuration file at \(config)")
        }
    }

    /// The file's configuration, or the defaults.
    func configuration() throws -> EngineConfiguration {
        try overrides() ?? EngineConfiguration()
    }

    /// The model stored in the database, read only, served with `--config`'s settings or the build's.
    func loadEngine(_ database: DatabaseOptions) async throws -> RecommendationEngine {
        try await RecommendationEngine.load(
            from: try Stores.open(database.db, readOnly: true), configuration: try overrides())
    }

    /// The file's configuration, or `nil` without `--config` (serving then uses the one the build stored).
    func overrides() throws -> EngineConfiguration? {
        try config.map { try EngineConfiguration(file: $0) }
    }
}
