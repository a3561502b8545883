// Per-article widgets for a large generated catalogue, on both cores.
//
//   swift run -c release widget-benchmark [--articles 1000000] [--events 5000000] [--workdir DIR] [--keep]
//       (`--help` lists every option)
//
// Generates and imports the catalogue and builds the model (not timed), then times `WidgetJob` writing every
// site's and every article's widget (JSON + HTML files, widgets.jsonl, index.html) into a fresh folder. As a
// reference measured in the same run, it then times writing the same number of files of the same average size
// with plain POSIX calls from two threads: the file system's floor for this output.
import BenchmarkSupport
import Dispatch
import Foundation
import Synchronization
import Trendmix
import TrendmixCore
import TrendmixStore

#if canImport(Glibc)
    import Glibc
#endif

let arguments = BenchmarkArguments(
    usage: """
        usage: widget-benchmark [--articles N] [--events N] [--workdir DIR] [--keep] [--config FILE] [--boxes-only]
                                [--reuse]
          --articles N    articles of the generated catalogue (1000000)
          --events N      events (5000000)
          --workdir DIR   where the catalogue, widgets and reference files go (a folder under the temporary
                          directory); on tmpfs (/dev/shm/...) the file system's share of the time is smallest
          --keep          leave the catalogue, model and widgets in place afterwards
          --config FILE   an engine configuration file (the defaults without it)
          --boxes-only    time computing the boxes alone, without output, and stop
          --reuse         load the catalogue and model a previous --keep run left in the workdir
        """,
    options: ["--articles", "--events", "--workdir", "--config"], flags: ["--keep", "--boxes-only", "--reuse"])
let articles = arguments.count("--articles", 1_000_000)
let events = arguments.count("--events", 5_000_000)
let workdir = arguments.string("--workdir", NSTemporaryDirectory() + "trendmix-widget-benchmark")
let keep = arguments.flag("--keep")
let configFile = arguments.string("--config", "")
let fm = FileManager.default
let db = workdir + "/catalogue.sqlite"
let reuse = arguments.flag("--reuse") && fm.fileExists(atPath: db)
if reuse, !configFile.isEmpty {
    fail("--config has no effect with --reuse: the kept model keeps the configuration it was built with")
}
if arguments.flag("--reuse"), !reuse { print("no catalogue to reuse at \(db): preparing one") }
if reuse {
    try? fm.removeItem(atPath: workdir + "/widgets")
    try? fm.removeItem(atPath: workdir + "/reference")
} else {
    try? fm.removeItem(atPath: workdir)
    try? fm.createDirectory(atPath: workdir, withIntermediateDirectories: true)
}
defer {
    if reuse, !keep {
        try? fm.removeItem(atPath: workdir + "/widgets")
        try? fm.removeItem(atPath: workdir + "/reference")
    } else if !keep {
        try? fm.removeItem(atPath: workdir)
    }
}

let prepared = monotonicSeconds()
let engine: RecommendationEngine
do {
    if reuse {
        engine = try await RecommendationEngine.load(from: try SQLiteArticleStore(path: db))
    } else {
        var p = WorkloadGenerator.Parameters()
        p.articles = articles
        p.events = events
        p.readers = max(1, events / 10)
        p.days = 60
        _ = try WorkloadGenerator(parameters: p).write(to: workdir + "/data")
        let store = try SQLiteArticleStore(path: db)
        _ = try store.run(CanonicalImporter(path: workdir + "/data"))
        try? fm.removeItem(atPath: workdir + "/data")
        let configuration = configFile.isEmpty ? EngineConfiguration() : try EngineConfiguration(file: configFile)
        let built = try await RecommendationEngine.build(store: store, configuration: configuration)
        try await built.save(to: store)
        engine = try await RecommendationEngine.load(from: store)
    }
} catch {
    fail("preparing: \(error)")
}
print(
    reuse
        ? "loaded the kept catalogue's model (\(engine.model.articles.count) articles) in \(String(format: "%.1f", monotonicSeconds() - prepared)) s (not timed)"
        : "prepared \(articles) articles, \(events) events in \(String(format: "%.1f", monotonicSeconds() - prepared)) s (not timed)"
)
fflush(nil)

var options = WidgetJob.Options()
options.perArticle = true
if arguments.flag("--boxes-only") {
    let (seconds, items, cpu) = timeBoxes(engine, k: options.k)
    print(
        "boxes alone (no output): \(String(format: "%.2f", seconds)) s, \(String(format: "%.1f", 1e6 * cpu / Double(max(1, engine.model.articles.count)))) µs of CPU per box, \(items) items"
    )
    exit(0)
}
var before = rusage()
getrusage(RUSAGE_SELF.rawValue, &before)
let started = monotonicSeconds()
let summary: WidgetJob.Summary
do {
    summary = try WidgetJob(engine: engine, options: options).run(to: workdir + "/widgets")
} catch {
    fail("widgets: \(error)")
}
let seconds = monotonicSeconds() - started
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
// The job's CPU time, user and system: steadier than wall time on a shared machine when comparing two builds.
func cpuSeconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
let jobUser = cpuSeconds(usage.ru_utime) - cpuSeconds(before.ru_utime)
let jobSystem = cpuSeconds(usage.ru_stime) - cpuSeconds(before.ru_stime)
let files = (summary.siteWidgets + summary.articleWidgets) * 2
/// The mean size of the first 10,000 article widgets' JSON files. A function, not top-level code: Swift 6.3.1's
/// optimizer crashes on an NSEnumerator loop in an async main.
func meanJSONSize(in folder: String) -> Int {
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return 0 }
    var bytes = 0
    var counted = 0
    for case let path as String in walker where path.hasSuffix(".json") && counted < 10_000 {
        bytes += (try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)[.size] as? Int) ?? 0
        counted += 1
    }
    return counted > 0 ? bytes / counted : 0
}
let bytes = meanJSONSize(in: workdir + "/widgets/articles")

// The boxes alone: every article's widget computed on two threads, nothing rendered or written. This splits the
// job's time into the scoring core's and the output's.
func timeBoxes(_ engine: RecommendationEngine, k: Int) -> (seconds: Double, items: Int, cpu: Double) {
    let model = engine.model
    let now = model.builtAt
    let started = monotonicSeconds()
    let articles = model.articles.count
    let chunks = max(1, min(256, articles))
    let totals = Mutex((items: 0, cpu: 0.0))
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var count = 0
        let cpu = threadCPUSeconds()
        for a in (articles * chunk / chunks)..<(articles * (chunk + 1) / chunks) {
            count += Widget(engine: engine, host: model.articles.site[a], seed: Int32(a), k: k, now: now).items.count
        }
        let spent = threadCPUSeconds() - cpu
        totals.withLock { $0 = ($0.items + count, $0.cpu + spent) }
    }
    return (monotonicSeconds() - started, totals.withLock { $0.items }, totals.withLock { $0.cpu })
}

func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
let (boxesSeconds, boxItems, boxesCPU) = timeBoxes(engine, k: options.k)

// Reference: the same number of files of the same average size, written by two threads.
let reference = workdir + "/reference"
try? fm.createDirectory(atPath: reference, withIntermediateDirectories: true)
let payload = String(repeating: "x", count: max(1, bytes))
let referenceStarted = monotonicSeconds()
DispatchQueue.concurrentPerform(iterations: 2) { worker in
    let dir = "\(reference)/\(worker)"
    mkdir(dir, 0o755)
    for i in 0..<(files / 2) {
        let fd = open("\(dir)/\(i).json", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 {
            _ = payload.withCString { write(fd, $0, payload.utf8.count) }
            close(fd)
        }
    }
}
let referenceSeconds = monotonicSeconds() - referenceStarted

print(
    """
    per-article widgets: \(summary.articleWidgets) article + \(summary.siteWidgets) site widgets (\(summary.empty) empty), \
    \(files) files + widgets.jsonl + index.html
    trendmix widgets              \(String(format: "%7.2f s", seconds))  \(String(format: "%.0f", Double(summary.articleWidgets) / seconds)) widgets/s  \
    peak RSS \(usage.ru_maxrss / 1024) MiB  (target <= 60 s)
      CPU: user \(String(format: "%.1f", jobUser)) s, system \(String(format: "%.1f", jobSystem)) s
    of which the boxes alone (no output)  \(String(format: "%7.2f s", boxesSeconds))  \(String(format: "%.1f", 1e6 * boxesCPU / Double(max(1, summary.articleWidgets)))) µs of CPU per box, \(boxItems) items
    reference: \(files) plain files of \(bytes) bytes, 2 threads  \(String(format: "%7.2f s", referenceSeconds))
    ratio trendmix / file-writing floor  \(String(format: "%.2f", seconds / referenceSeconds))
    """)
fflush(nil)
