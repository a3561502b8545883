import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore
import TrendmixEvaluation

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Replay held-out interactions: rank with Trendmix, the baselines and SAR, and write a report.",
        discussion: """
            Protocols (Evaluation/README.md): \(EvaluationProtocol.Name.list); several separated by commas, or
            'all'. Writes report.md and report.html (SVG charts) into --out.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Protocols, comma-separated: \(EvaluationProtocol.Name.list), or all.")
    var `protocol` = ProtocolSelection([.temporal])

    @Option(help: "Cut time for temporal, session and trending (\(Timestamp.argumentForms)).")
    var cut: Timestamp?

    @Option(help: "Cut at the time before which this share of the events lies (when --cut is not given).")
    var cutFraction = 0.8

    @Option(
        help: ArgumentHelp(
            "Read only the events before this time (\(Timestamp.argumentForms)): every protocol runs on the data up to it.",
            discussion:
                "A selection set for any protocol: choose settings on the data before a time, then confirm them on all of it."
        ))
    var until: Timestamp?

    @Option(help: "As --until, at the time before which this share of the events lies.")
    var untilFraction: Double?

    @Option(
        help: "Trending prediction and temporal-rolling: the days after each origin whose engagement is the relevance.")
    var horizonDays = 7.0

    @Option(help: "Trending prediction: rolling origins, one horizon apart, going back from the cut.")
    var origins = 12

    @Option(
        help:
            "temporal-rolling: origins, one horizon apart, going forward from the cut (default: until the data ends)."
    )
    var rollingOrigins: Int?

    @Option(help: "SAR's stratified split: the training share per reader.")
    var ratio = 0.75

    @Option(help: "Seed of the random splits, the random baseline and the bootstrap.")
    var seed: UInt64 = 42

    @Option(help: "Cut-offs, comma-separated.")
    var k = "1,5,10,20"

    @Option(help: "The cut-off of the intervals, paired tests and per-site figures.")
    var statsK = 10

    @Option(help: "Bootstrap resamples.")
    var resamples = 1000

    @Option(
        name: .customLong("trendmix"),
        help: "An extra Trendmix configuration as name=config.json (repeatable); the default configuration always runs."
    )
    var extra: [String] = []

    @Option(help: "A JSON configuration file for the default Trendmix system (docs/configuration.md).")
    var config: String?

    @Option(help: "A Python with Evaluation/peers/requirements.txt installed: runs SAR from its own package.")
    var python: String?

    @Option(help: "The folder of the peer scripts.")
    var peers = "Evaluation/peers"

    @Flag(help: "Leave out the baselines.")
    var noBaselines = false

    @Flag(help: "Also run the configuration grid (Sweep) on the first protocol.")
    var sweep = false

    @Option(
        help: """
            Also write the ranked lists and relevance as JSON for Evaluation/peers/check_metrics.py and \
            Evaluation/checks/pooled.py; with several protocols, one file per protocol (FILE-<protocol>.json).
            """)
    var metricCheck: String?

    @Option(help: "The report folder; default Evaluation/reports/<database name>-<protocols>-seed<seed>.")
    var out: String?

    func validate() throws {
        try database.requireExisting()
        guard (0.0..<1.0).contains(cutFraction), cutFraction > 0 else {
            throw ValidationError("--cut-fraction must be in (0, 1)")
        }
        if let untilFraction, !(untilFraction > 0 && untilFraction < 1) {
            throw ValidationError("--until-fraction must be in (0, 1)")
        }
        if until != nil, untilFraction != nil { throw ValidationError("give --until or --until-fraction, not both") }
        guard horizonDays > 0 else { throw ValidationError("--horizon-days must be positive") }
        guard origins >= 1 else { throw ValidationError("--origins must be at least 1") }
        if let rollingOrigins, rollingOrigins < 1 { throw ValidationError("--rolling-origins must be at least 1") }
        guard ratio > 0, ratio < 1 else { throw ValidationError("--ratio must be in (0, 1)") }
        guard !cutoffs.isEmpty, cutoffs.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--k must list positive cut-offs, e.g. 1,5,10,20")
        }
        guard statsK > 0 else { throw ValidationError("--stats-k must be positive") }
        guard resamples >= 0 else { throw ValidationError("--resamples must not be negative") }
        for entry in extra {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--trendmix takes name=config.json, got '\(entry)'")
            }
            guard FileManager.default.fileExists(atPath: String(parts[1])) else {
                throw ValidationError("no configuration file at \(parts[1])")
            }
        }
        if let metricCheck {
            // Checked before the run: the files are written after every protocol has been evaluated.
            let folder = (metricCheck as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder),
                isFolder.boolValue
            else { throw ValidationError("--metric-check \(metricCheck): the folder \(folder) does not exist") }
        }
        if let python, !FileManager.default.isExecutableFile(atPath: python) {
            throw ValidationError("--python \(python) is not an executable")
        }
    }

    var cutoffs: [Int] { k.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func protocols() -> [EvaluationProtocol] {
        let cutPoint: EvaluationProtocol.Cut = cut.map { .time($0) } ?? .fraction(cutFraction)
        return `protocol`.names.map { name in
            switch name {
            case .temporal: .temporal(cutPoint)
            case .rollingTemporal: .rollingTemporal(cutPoint, horizon: .days(horizonDays), origins: rollingOrigins)
            case .leaveLastOut: .leaveLastOut
            case .session: .session(cutPoint)
            case .sarStratified: .sarStratified(ratio: ratio, seed: seed)
            case .trending: .trendingPrediction(cutPoint, horizon: .days(horizonDays), origins: origins)
            }
        }
    }

    func run() async throws {
        try await reportingErrors {
            let started = Date()
            let store = try Stores.open(database.db, readOnly: true)
            var snapshot = try await store.snapshot(from: nil, to: nil)
            let limit: EvaluationProtocol.Cut? =
                until.map { .time($0) } ?? untilFraction.map { .fraction($0) }
            if let limit {
                let end = try EvaluationProtocol.cutTime(limit, in: snapshot)
                snapshot = try await store.snapshot(from: nil, to: end)
                FileHandle.standardError.write(
                    Data("reading the \(snapshot.events.count) events before \(end.iso8601)\n".utf8))
            }
            var configurations = [
                (
                    name: "Trendmix",
                    configuration: try (config.map { try EngineConfiguration(file: $0) } ?? EngineConfiguration()).model
                )
            ]
            for entry in extra {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                configurations.append((parts[0], try EngineConfiguration(file: parts[1]).model))
            }
            let protocols = protocols()
            let runName =
                "\(((database.db as NSString).lastPathComponent as NSString).deletingPathExtension)-"
                + protocols.map(\.name).joined(separator: "+") + "-seed\(seed)"
                + (until.map { "-until-\($0)" } ?? untilFraction.map { "-until-\($0)" } ?? "")
            let folder = out ?? "Evaluation/reports/" + runName
            var plan = EvaluationPlan(
                protocols: protocols, configurations: configurations,
                workdir: NSTemporaryDirectory() + "trendmix-evaluate-\(getpid())")
            defer { try? FileManager.default.removeItem(atPath: plan.workdir) }
            plan.baselines = !noBaselines
            plan.options.ks = cutoffs
            plan.options.statisticsK = statsK
            plan.options.resamples = resamples
            plan.options.seed = seed
            if let python {
                plan.sar = SARPeer(
                    python: python, script: peers + "/sar_peer.py", weights: configurations[0].configuration.weights,
                    halfLife: configurations[0].configuration.affinityHalfLife ?? .days(30))
            }
            let bar = ProgressBar(label: "evaluating")
            let outcome = try plan.run(
                snapshot: snapshot, log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) },
                progress: { _, done, total in bar.update(done: Int64(done), total: Int64(total)) })
            bar.finish()
            guard !outcome.runs.isEmpty else {
                throw EvaluationFailure(description: "no protocol could run: " + outcome.notes.joined(separator: "; "))
            }
            let command = (["trendmix"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let results = outcome.runs.map(\.result)
            let html = try Report.write(results, title: "Trendmix evaluation: \(runName)", command: command, to: folder)
            if sweep, let first = outcome.runs.first {
                let rows = Sweep().run(splits: first.splits, base: configurations[0].configuration, k: statsK) {
                    done, total in bar.update(done: Int64(done), total: Int64(total))
                }
                bar.finish()
                let text = Sweep.markdown(rows, k: statsK, protocolName: first.splits[0].name)
                try text.write(toFile: folder + "/sweep.md", atomically: true, encoding: .utf8)
                print(text)
            }
            if let metricCheck {
                for run in outcome.runs {
                    let file =
                        outcome.runs.count == 1
                        ? metricCheck
                        : ((metricCheck as NSString).deletingPathExtension + "-\(run.splits[0].name).json")
                    try run.result.writeMetricCheck(cases: run.splits.flatMap(\.cases), to: file)
                }
            }
            for result in results { print(evaluationSummary(result)) }
            for note in outcome.notes { print("note: \(note)") }
            print("report: \(html) (and report.md) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}

/// A protocol's headline figures as a small text table (the statistics k, intervals, ≈ for not significant).
func evaluationSummary(_ r: EvaluationResult) -> String {
    let k = r.statisticsK
    var out = "\(r.protocolName): \(r.cases) cases, \(r.liveArticles) live articles\n"
    out += "  system                      HitRate@\(k)               nDCG@\(k)\n"
    for s in r.systems {
        let (h, n) = (s.intervals[.hitRate], s.intervals[.ndcg])
        func show(_ i: Interval?, _ t: PairedTest?) -> String {
            guard let i else { return "" }
            let mark = t.map { $0.significant ? " " : "≈" } ?? " "
            return String(format: "%.4f [%.4f–%.4f]%@", i.mean, i.low, i.high, mark)
        }
        out +=
            "  " + s.name.padding(toLength: 26, withPad: " ", startingAt: 0) + "  "
            + show(h, s.tests[.hitRate]) + "  " + show(n, s.tests[.ndcg]) + "\n"
    }
    return out
}

struct EvaluationFailure: Error, CustomStringConvertible {
    var description: String
}
