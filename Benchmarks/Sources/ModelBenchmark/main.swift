// Model build: Trendmix against SAR (quality reference) and implicit (C++ speed reference) on the same events.
//
//   swift run -c release model-benchmark [--python PY] [--sizes deskdrop,1m,10m] [--workdir DIR] [--keep]
//
// For each data set (DeskDrop from ../shared/data; generated sets of 1M events over 10k articles and 10M over
// 100k articles), the events are imported (not timed) and exported as reader,article,weight,timestamp rows
// with the engine's default weights (`trendmix peer-export --weights default`: exactly the events Trendmix
// sees). Then, each in its own process so that peak RSS is the process's own (wait4):
//   - Trendmix: read the snapshot from SQLite and build the model (co-occurrence of readers capped at 500
//     most recent articles, log-likelihood, top-50 neighbours, trending, reader affinities), on both cores;
//     also without the 500 cap, the same work implicit does, and with per-site calibration (issue 20: at most
//     1.5 times the build without it);
//   - SAR's fit (1M and DeskDrop only; SAR's dense similarity runs out of memory beyond a few million events);
//   - implicit's CosineRecommender(K=50).fit.
// Then in this process: p50/p99 latency of `recommend` on the 1M model (related boxes for random seeds and
// readers, and trending boxes for random hosts).
import BenchmarkSupport
import Foundation
import Trendmix
import TrendmixCore
import TrendmixEvaluation
import TrendmixStore

// Child mode: build the model of a database and print the timings as JSON.
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "--child-build" {
    do {
        let store = try SQLiteArticleStore(path: CommandLine.arguments[2])
        var configuration = EngineConfiguration()
        if CommandLine.arguments.contains("--no-cap") { configuration.model.cooccurrence.maxItemsPerBasket = nil }
        // Calibration is on by default; the plain build is the one without it, the reference of the ratio.
        configuration.model.calibration.enabled = CommandLine.arguments.contains("--calibrate")
        let engine = try await RecommendationEngine.build(store: store, configuration: configuration)
        let t = engine.timings
        func seconds(_ d: Duration) -> Double { d.inMilliseconds / 1000 }
        print(
            #"{"snapshot_seconds": \#(seconds(t.snapshot)), "model_seconds": \#(seconds(t.model)), "#
                + #""calibration_seconds": \#(seconds(t.calibration)), "#
                + #""pairs": \#(engine.model.neighbours.neighbours.count)}"#)
        exit(0)
    } catch {
        fail("\(error)")
    }
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
let arguments = BenchmarkArguments(
    usage: """
        usage: model-benchmark [--python PY] [--sizes deskdrop,1m,10m] [--workdir DIR] [--keep]
          --python PY    the Python with the peers installed (Evaluation/peers/requirements.txt; python3)
          --sizes LIST   data sets, comma-separated, of deskdrop, 1m and 10m (all three)
          --workdir DIR  where the databases and peer files go (a folder under the temporary directory)
          --keep         leave the workdir in place afterwards
        """,
    options: ["--python", "--sizes", "--workdir"], flags: ["--keep"])
let python = arguments.string("--python", "python3")
let sizes = arguments.string("--sizes", "deskdrop,1m,10m").split(separator: ",").map(String.init)
if let unknown = sizes.first(where: { !["deskdrop", "1m", "10m"].contains($0) }) {
    fail("unknown size \(unknown) in --sizes; use deskdrop, 1m or 10m")
}
let workdir = arguments.string("--workdir", NSTemporaryDirectory() + "trendmix-model-benchmark")
let keep = arguments.flag("--keep")
let fm = FileManager.default
try? fm.createDirectory(atPath: workdir, withIntermediateDirectories: true)
defer { if !keep { try? fm.removeItem(atPath: workdir) } }
let peerScript = root + "/Evaluation/peers/fit_benchmark.py"

struct Dataset {
    var name: String
    var db: String
    var events: Int
    var runSAR: Bool
}

func prepare(_ name: String) -> Dataset? {
    let db = "\(workdir)/\(name).sqlite"
    let data = "\(workdir)/\(name)-data"
    for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: db + suffix) }
    do {
        let store = try SQLiteArticleStore(path: db)
        switch name {
        case "deskdrop":
            let path = root + "/../shared/data/deskdrop/users_interactions.csv"
            guard fm.fileExists(atPath: path) else {
                print("(DeskDrop skipped: \(path) is absent)")
                return nil
            }
            _ = try store.run(DeskDropImporter(path: path))
        case "1m", "10m":
            var p = WorkloadGenerator.Parameters()
            p.events = name == "1m" ? 1_000_000 : 10_000_000
            p.articles = name == "1m" ? 10_000 : 100_000
            p.readers = name == "1m" ? 50_000 : 200_000
            _ = try WorkloadGenerator(parameters: p).write(to: data)
            _ = try store.run(CanonicalImporter(path: data))
            try? fm.removeItem(atPath: data)
        default:
            fail("unknown size \(name); use deskdrop, 1m or 10m")
        }
        let snapshot = try store.snapshot(from: nil, to: nil)
        try SARComparison(weights: .default, k: 1).writeEvents(for: snapshot, to: "\(workdir)/\(name)-peer")
        return Dataset(name: name, db: db, events: snapshot.events.count, runSAR: name != "10m")
    } catch {
        fail("preparing \(name): \(error)")
    }
}

func json(_ text: String) -> [String: Any] {
    let line = text.split(separator: "\n").last.map(String.init) ?? ""
    return (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

var lines: [String] = []
for size in sizes {
    guard let set = prepare(size) else { continue }
    let trendmix = runChild(CommandLine.arguments[0], ["--child-build", set.db])
    let uncapped = runChild(CommandLine.arguments[0], ["--child-build", set.db, "--no-cap"])
    let calibrated = runChild(CommandLine.arguments[0], ["--child-build", set.db, "--calibrate"])
    let c = json(calibrated.output)
    let modelCalibrated = (c["model_seconds"] as? Double) ?? .nan
    let t = json(trendmix.output)
    let u = json(uncapped.output)
    let model = (t["model_seconds"] as? Double) ?? .nan
    let modelUncapped = (u["model_seconds"] as? Double) ?? .nan
    lines.append("\n\(set.name): \(set.events) events")
    lines.append(
        "  trendmix build (cap 500)      model \(fmt(model)) s, snapshot \(fmt((t["snapshot_seconds"] as? Double) ?? .nan)) s, "
            + "process peak \(fmt(trendmix.peakMiB, 0)) MiB")
    lines.append(
        "  trendmix build (no cap)       model \(fmt(modelUncapped)) s, process peak \(fmt(uncapped.peakMiB, 0)) MiB")
    lines.append(
        "  trendmix build (calibrated)   model \(fmt(modelCalibrated)) s, of which calibration "
            + "\(fmt((c["calibration_seconds"] as? Double) ?? .nan)) s: \(fmt(modelCalibrated / model))x the build "
            + "without; process peak \(fmt(calibrated.peakMiB, 0)) MiB")
    let events = "\(workdir)/\(set.name)-peer/events.csv"
    var peers: [(String, Double, Double)] = []
    let implicit = runChild(python, [peerScript, "--events", events, "--peer", "implicit"])
    if implicit.status == 0, let fit = json(implicit.output)["fit_seconds"] as? Double {
        peers.append(("implicit CosineRecommender(K=50)", fit, implicit.peakMiB))
    } else {
        lines.append("  implicit failed: \(implicit.output.suffix(300))")
    }
    if set.runSAR {
        let sar = runChild(python, [peerScript, "--events", events, "--peer", "sar"])
        if sar.status == 0, let fit = json(sar.output)["fit_seconds"] as? Double {
            peers.append(("SAR fit", fit, sar.peakMiB))
        } else {
            lines.append("  SAR failed (status \(sar.status)): \(sar.output.suffix(300))")
        }
    }
    for (name, fit, peak) in peers {
        lines.append(
            "  \(name.padding(toLength: 30, withPad: " ", startingAt: 0)) fit \(fmt(fit)) s, process peak \(fmt(peak, 0)) MiB;"
                + " trendmix is \(fmt(fit / model, 1))x faster (\(fmt(fit / modelUncapped, 1))x without the cap,"
                + " \(fmt(fit / modelCalibrated, 1))x calibrated),"
                + " peak memory ratio \(fmt(trendmix.peakMiB / peak))")
    }
    print(lines.joined(separator: "\n"))
    fflush(nil)
    lines.removeAll()

    if set.name == "1m" {
        // In-process recommend latency on this model.
        do {
            let store = try SQLiteArticleStore(path: set.db)
            let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
            let model = engine.model
            var rng = SplitMix64(seed: 7)
            var nanos: [Double] = []
            var byKind: [String: [Double]] = [:]
            let clock = ContinuousClock()
            for i in 0..<20_000 {
                let request: RecommendationRequest
                if i % 2 == 0 {
                    let seed = Int32(rng.next(below: model.articles.count))
                    request = RecommendationRequest(
                        host: model.articles.site[Int(seed)], seed: seed,
                        reader: i % 4 == 0 ? Int32(rng.next(below: model.readers.count)) : nil, k: 8, now: model.builtAt
                    )
                } else {
                    request = RecommendationRequest(
                        host: Int32(rng.next(below: model.sites.count)), k: 8, now: model.builtAt)
                }
                let started = clock.now
                let box = model.recommend(request)
                let elapsed = clock.now - started
                if box.isEmpty { fail("an empty box") }
                nanos.append(elapsed.inMilliseconds * 1e6)
                let kind = i % 2 == 1 ? "trending box" : (i % 4 == 0 ? "related box with reader" : "related box")
                byKind[kind, default: []].append(elapsed.inMilliseconds * 1e6)
            }
            nanos.sort()
            func q(_ p: Double) -> Double { nanos[min(nanos.count - 1, Int(p * Double(nanos.count)))] / 1000 }
            for (kind, values) in byKind.sorted(by: { $0.key < $1.key }) {
                let sorted = values.sorted()
                let p99 = sorted[min(sorted.count - 1, Int(0.99 * Double(sorted.count)))] / 1000
                print("    \(kind): p50 \(fmt(sorted[sorted.count / 2] / 1000, 1)) µs, p99 \(fmt(p99, 1)) µs")
            }
            print(
                "  recommend (in process, 20,000 requests): p50 \(fmt(q(0.5), 1)) µs, p99 \(fmt(q(0.99), 1)) µs, max \(fmt(nanos.last.map { $0 / 1000 } ?? 0, 1)) µs"
            )
        } catch {
            fail("latency run: \(error)")
        }
    }
}
