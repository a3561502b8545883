import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore
import TrendmixEvaluation

struct PeerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer-export",
        abstract: "Write the events and Trendmix's lists for a peer comparison (Evaluation/peers/).",
        discussion: "--peer sar: Trendmix in SAR's settings; compare with Evaluation/peers/sar_equivalence.py.")

    enum Peer: String, ExpressibleByArgument { case sar }

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The peer: sar.") var peer: Peer = .sar
    @Option(help: "Output folder.") var out: String
    @Option(help: "List length.") var k = 10
    @Option(help: "Half-life of the affinity decay, in days.") var halfLifeDays = 30.0
    @Option(
        help: "Event weights: deskdrop (view 1, like 2, bookmark 2.5, follow 3, comment 4) or default (the engine's).")
    var weights: Weights = .deskdrop

    enum Weights: String, ExpressibleByArgument { case deskdrop, `default` }

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard halfLifeDays > 0 else { throw ValidationError("--half-life-days must be positive") }
        try database.requireExisting()
    }

    func run() async throws {
        try await reportingErrors {
            let store = try Stores.open(database.db, readOnly: true)
            let snapshot = try await store.snapshot(from: nil, to: nil)
            let comparison = SARComparison(
                weights: weights == .deskdrop ? SARComparison.deskDropWeights : .default, halfLife: .days(halfLifeDays),
                k: k)
            try comparison.writeInputs(for: snapshot, to: out)
            print("wrote \(out)/events.csv and \(out)/trendmix_top\(k).csv for \(snapshot.readers.count) readers")
        }
    }
}
