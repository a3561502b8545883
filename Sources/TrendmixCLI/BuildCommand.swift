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

    @Option(
        help: ArgumentHelp(
            "Compute only the neighbour rows of the i-th of n article ranges (1/4 … 4/4), for --partition-out; "
                + "each of n workers runs one, all with the same --now and --config.",
            valueName: "i/n"))
    var partition: String?

    @Option(help: "Where --partition writes its part (a file).")
    var partitionOut: String?

    @Option(
        parsing: .upToNextOption,
        help: "Build from the parts of a partitioned build (every part, 1 to n, once) and store the model.")
    var fromPartitions: [String] = []

    func validate() throws {
        try database.requireExisting()
        if partition != nil {
            guard try parsedPartition() != nil else {
                throw ValidationError("--partition takes i/n with 1 ≤ i ≤ n, such as 2/4")
            }
            guard partitionOut != nil else { throw ValidationError("--partition needs --partition-out FILE") }
            guard options.now != nil else {
                throw ValidationError("--partition needs --now: every worker must build for the same moment")
            }
            guard fromPartitions.isEmpty else {
                throw ValidationError("--partition computes a part; --from-partitions joins them: give one")
            }
        } else if partitionOut != nil {
            throw ValidationError("--partition-out needs --partition i/n")
        }
    }

    private func parsedPartition() throws -> (part: Int, of: Int)? {
        guard let partition else { return nil }
        let pieces = partition.split(separator: "/")
        guard pieces.count == 2, let i = Int(pieces[0]), let n = Int(pieces[1]), n >= 1, (1...n).contains(i) else {
            return nil
        }
        return (i, n)
    }

    func run() async throws {
        try await reportingErrors {
            let store = try Stores.open(database.db)
            let started = Date()
            if let (part, n) = try parsedPartition(), let out = partitionOut, let now = options.now {
                let computed = try await RecommendationEngine.buildPartition(
                    store: store, configuration: try options.configuration(), now: now, part: part, of: n)
                try computed.encoded().write(to: URL(fileURLWithPath: out), options: .atomic)
                print(
                    "part \(part) of \(n): the neighbour rows of articles \(computed.articles.lowerBound) to "
                        + "\(computed.articles.upperBound - 1) (snapshot \(computed.snapshotDigest)) in "
                        + "\(String(format: "%.2f", Date().timeIntervalSince(started))) s, written to \(out)")
                return
            }
            let parts = try fromPartitions.map { try ModelPartition(contentsOf: $0) }
            let engine = try await RecommendationEngine.build(
                store: store, configuration: try options.configuration(), now: options.now ?? parts.first?.builtFor,
                partitions: parts)
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
