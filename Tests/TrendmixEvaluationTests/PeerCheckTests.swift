import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import TrendmixEvaluation

/// The evaluation checked against Python peers: the metrics recomputed by Microsoft Recommenders'
/// `python_evaluation` (Evaluation/peers/check_metrics.py), and SAR run from its own package on the same split.
/// They need a Python with Evaluation/peers/requirements.txt (`.ci/run` installs one) and ../shared/data.
@Suite(.serialized) struct PeerCheckTests {
    static func deskDrop() throws -> Snapshot? {
        guard let data = Locations.sharedData else { return nil }
        let store = try SQLiteArticleStore()
        _ = try store.run(DeskDropImporter(path: data + "/deskdrop/users_interactions.csv"))
        return try store.snapshot(from: nil, to: nil)
    }

    /// The peer Python, or nil with a message; CI sets TRENDMIX_REQUIRE_PEERS=1, where a missing one fails.
    static func python() -> String? {
        if let python = Locations.peerPython { return python }
        if ProcessInfo.processInfo.environment["TRENDMIX_REQUIRE_PEERS"] == "1" {
            Issue.record("TRENDMIX_REQUIRE_PEERS=1 but no Python with Evaluation/peers/requirements.txt was found")
        } else {
            print("skipped: no Python with Evaluation/peers/requirements.txt (set TRENDMIX_PYTHON or run .ci/run)")
        }
        return nil
    }

    func run(_ python: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func metricsAgreeWithRecommendersPythonEvaluation() throws {
        guard let python = Self.python() else { return }
        guard let snapshot = try Self.deskDrop() else {
            print("skipped: ../shared/data is absent")
            return
        }
        let dir = try TemporaryDirectory("metric-check")
        // Reader cases (temporal) and seed cases (session), every baseline: many list shapes, empty lists too.
        for p in [EvaluationProtocol.temporal(.fraction(0.8)), .session(.fraction(0.8))] {
            let split = try p.split(snapshot, weights: .default)
            var systems = [trendmixSystem(split: split, configuration: ModelConfiguration())]
            systems += Baselines.all(for: split, weights: .default, seed: 1)
            var options = Evaluation.Options()
            options.resamples = 0
            let result = Evaluation(split: split, systems: systems, options: options).run()
            let file = dir.file("\(p.name).json")
            try result.writeMetricCheck(cases: split.cases, to: file)
            // Each case carries the time it was asked, so that a script can tell the articles' ages.
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file)))
            let first = ((json as? [String: Any])?["systems"] as? [[String: Any]])?.first
            let times = (first?["cases"] as? [[String: Any]])?.compactMap { ($0["now"] as? NSNumber)?.int64Value }
            #expect(times == split.cases.map(\.now.milliseconds))
            let check = try run(python, [Locations.packageRoot + "/Evaluation/peers/check_metrics.py", file])
            #expect(check.status == 0, "\(check.output)")
            #expect(check.output.contains("figures compared"))
        }
    }

    @Test func sarRunsFromItsOwnPackageOnTheSameSplit() throws {
        guard let python = Self.python() else { return }
        guard let snapshot = try Self.deskDrop() else {
            print("skipped: ../shared/data is absent")
            return
        }
        let dir = try TemporaryDirectory("sar-peer")
        let split = try EvaluationProtocol.temporal(.fraction(0.8)).split(snapshot, weights: .default)
        let peer = SARPeer(
            python: python, script: Locations.packageRoot + "/Evaluation/peers/sar_peer.py", weights: .default)
        let sar = try peer.system(for: split, k: 10, workdir: dir.path)
        let seen = EvaluationProtocol.readerArticles(split.train)
        var filled = 0
        for (i, c) in split.cases.enumerated() {
            let list = sar.rank(i, c, 10)
            #expect(list.count <= 10 && Set(list).count == list.count)
            // SAR removes seen articles and knows only training articles.
            #expect(list.allSatisfy { split.live[Int($0)] && c.reader.flatMap { seen[$0] }?.contains($0) != true })
            if !list.isEmpty { filled += 1 }
        }
        #expect(filled > split.cases.count / 2)
    }
}
