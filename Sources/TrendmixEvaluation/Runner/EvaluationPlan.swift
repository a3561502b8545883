import Foundation
public import TrendmixCore

/// One evaluation run as the CLI and the demo start it: protocols, the Trendmix configurations, the baselines
/// and optionally SAR, each protocol split once and every system ranked on that split.
public struct EvaluationPlan: Sendable {
    public var protocols: [EvaluationProtocol]
    /// Trendmix systems: a name and a configuration each. The first is the reference of the paired tests.
    public var configurations: [(name: String, configuration: ModelConfiguration)]
    public var baselines = true
    /// SAR from its Python package, when a Python with the pinned requirements is given.
    public var sar: SARPeer?
    public var options = Evaluation.Options()
    /// Where peers get their input files.
    public var workdir: String

    public init(
        protocols: [EvaluationProtocol], configurations: [(name: String, configuration: ModelConfiguration)],
        workdir: String
    ) {
        self.protocols = protocols
        self.configurations = configurations
        self.workdir = workdir
    }

    /// What a run produced, per protocol: the split and the result; plus notes (a peer that could not run, a
    /// protocol the data does not support).
    public struct Outcome: Sendable {
        /// Per protocol: its splits (several for rolling origins) and the pooled result.
        public var runs: [(splits: [Split], result: EvaluationResult)] = []
        public var notes: [String] = []
    }

    /// The grades come from the first configuration's event weights (Trendmix's default: view 1, like 2,
    /// bookmark 2.5, follow 3, comment 4, as DeskDrop's usual weighting).
    public func run(
        snapshot: Snapshot, log: @Sendable (String) -> Void = { _ in },
        progress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) throws -> Outcome {
        var outcome = Outcome()
        let weights = configurations.first?.configuration.weights ?? .default
        for p in protocols {
            let splits: [Split]
            do {
                splits = try p.splits(snapshot, weights: weights)
            } catch let error as SplitError {
                outcome.notes.append("\(p.name): skipped, \(error)")
                log("\(p.name): skipped, \(error)")
                continue
            }
            var folds: [(split: Split, systems: [EvaluatedSystem])] = []
            var sarFailed = false
            for (n, split) in splits.enumerated() {
                let origin = splits.count > 1 ? " origin \(n + 1)/\(splits.count)" : ""
                log(
                    "\(p.name)\(origin): \(split.cases.count) cases, \(split.liveCount) live articles, "
                        + "\(split.train.events.count) training events")
                var systems = configurations.map {
                    trendmixSystem(name: $0.name, split: split, configuration: $0.configuration)
                }
                if baselines { systems += Baselines.all(for: split, weights: weights, seed: options.seed) }
                // SAR ranks for readers and seeds; trending prediction has neither.
                if let sar, p.personalised || p.name == "session", !sarFailed {
                    do {
                        systems.append(
                            try sar.system(
                                for: split, k: options.ks.max() ?? 10, workdir: workdir + "/sar-\(p.name)-\(n)"))
                    } catch {
                        sarFailed = true
                        outcome.notes.append("\(p.name): SAR not run: \(error)")
                        log("\(p.name): SAR not run: \(error)")
                    }
                }
                folds.append((split, systems))
            }
            if sarFailed { folds = folds.map { ($0.split, $0.systems.filter { $0.kind != .peer }) } }
            let result = Evaluation(folds: folds, options: options).run { done, total in
                progress?(p.name, done, total)
            }
            outcome.runs.append((splits, result))
        }
        return outcome
    }
}
