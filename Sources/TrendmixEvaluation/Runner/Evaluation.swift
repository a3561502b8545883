import Foundation
import Synchronization
import TrendmixCore

/// Ranks every case of a split with every system and measures the lists.
public struct Evaluation: Sendable {
    public struct Options: Sendable {
        /// The cut-offs reported; lists are asked for the largest.
        public var ks: [Int] = [1, 5, 10, 20]
        /// The cut-off of the intervals, the paired tests and the per-site figures.
        public var statisticsK = 10
        /// Bootstrap resamples (the same resamples for every system, so intervals and tests are paired).
        public var resamples = 1000
        public var seed: UInt64 = 42
        /// The system every other is tested against; the first Trendmix system when nil.
        public var reference: String?
        /// Two-sided significance level of the paired tests.
        public var alpha = 0.05

        public init() {}
    }

    /// One or more splits (rolling origins of one protocol), each with its systems built on its training
    /// events; systems match across folds by position. Cases of all folds are pooled.
    public let folds: [(split: Split, systems: [EvaluatedSystem])]
    public let options: Options

    public init(split: Split, systems: [EvaluatedSystem], options: Options = Options()) {
        self.init(folds: [(split, systems)], options: options)
    }

    public init(folds: [(split: Split, systems: [EvaluatedSystem])], options: Options = Options()) {
        precondition(!folds.isEmpty, "an evaluation needs a split")
        precondition(Set(folds.map(\.systems.count)).count == 1, "every fold needs the same systems")
        self.folds = folds
        self.options = options
    }

    /// Every fold's cases, in fold order.
    public var cases: [EvaluationCase] { folds.flatMap(\.split.cases) }

    /// Runs every system on every case (cases on all cores, in order), then the statistics.
    /// - Parameter progress: (cases ranked so far, in all), from any thread, never concurrently.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) -> EvaluationResult {
        let maxK = options.ks.max() ?? 10
        let systemCount = folds[0].systems.count
        let total = cases.count * systemCount
        let done = Mutex(0)
        var results: [SystemResult] = []
        for s in 0..<systemCount {
            // A system that shapes its box is ranked once per cut-off (the largest first, which is timed); any
            // other once, for the largest, and cut.
            let shaped = folds[0].systems[s].shapesItsBox
            let sizes = shaped ? options.ks.sorted(by: >) : [maxK]
            var boxes: [Int: [[[Int32]]]] = [:]
            var seconds = 0.0
            for size in sizes {
                let started = ContinuousClock.now
                boxes[size] = folds.map { fold in
                    let system = fold.systems[s]
                    let cases = fold.split.cases
                    let chunks = parallelMap(count: cases.count, chunks: min(64, max(1, cases.count))) { range in
                        let lists = range.map { i in system.rank(i, cases[i], size) }
                        if let progress, size == maxK {
                            done.withLock {
                                $0 += range.count
                                progress($0, total)
                            }
                        }
                        return lists
                    }
                    return chunks.flatMap { $0 }
                }
                if size == maxK { seconds = (ContinuousClock.now - started).inMilliseconds / 1000 }
            }
            results.append(
                measure(folds[0].systems[s], lists: { k in boxes[k] ?? boxes[maxK] ?? [] }, seconds: seconds))
        }
        let reference =
            options.reference.flatMap { name in results.firstIndex { $0.name == name } }
            ?? results.firstIndex { $0.kind == .trendmix } ?? 0
        let statistics = Statistics(resamples: options.resamples, seed: options.seed, alpha: options.alpha)
        let k = options.statisticsK
        for s in results.indices {
            for metric in AccuracyMetric.allCases {
                let values = results[s].perCase[k]?[metric] ?? []
                results[s].intervals[metric] = statistics.interval(values)
                if s != reference, let base = results[reference].perCase[k]?[metric] {
                    results[s].tests[metric] = statistics.pairedTest(values, base)
                }
            }
        }
        let first = folds[0].split
        let last = folds[folds.count - 1].split
        return EvaluationResult(
            protocolName: first.name,
            protocolDescription: folds.count == 1
                ? first.description
                : "\(folds.count) rolling origins from \(first.now.iso8601) \(last.now < first.now ? "back" : "on") to "
                    + "\(last.now.iso8601), each trained on the events before it; the first: \(first.description)",
            cases: cases.count, liveArticles: folds.map(\.split.liveCount).max() ?? 0,
            trainEvents: first.train.events.count, ks: options.ks,
            statisticsK: k, resamples: options.resamples, seed: options.seed, alpha: options.alpha,
            reference: results[reference].name, systems: results,
            siteNames: first.train.sites.map(\.name))
    }

    /// Accuracy per case over all folds; beyond-accuracy figures per fold (against that fold's training data and
    /// live catalogue), pooled as case-weighted means (coverage: the union of shown articles over the largest
    /// live catalogue).
    /// - Parameter boxes: the lists per fold and case to read cut-off k from (a box of that size, or a longer
    ///   ranking that is cut).
    private func measure(
        _ system: EvaluatedSystem, lists boxes: (Int) -> [[[Int32]]], seconds: Double
    ) -> SystemResult {
        let cases = self.cases
        var perCase: [Int: [AccuracyMetric: [Double]]] = [:]
        for k in options.ks {
            var columns = [AccuracyMetric: [Double]]()
            for (list, c) in zip(boxes(k).flatMap { $0 }, cases) {
                let v = RankingMetrics.values(ranked: list, relevance: c.relevance, k: k)
                for metric in AccuracyMetric.allCases { columns[metric, default: []].append(metric.value(v)) }
            }
            perCase[k] = columns
        }
        let k = options.statisticsK
        // Beyond accuracy, ages and coverage at the statistics k: from the box of that size where the system
        // shapes its box.
        let folded = boxes(k)
        let lists = folded.flatMap { $0 }
        var pooled = (crossSite: Pooled(), tag: Pooled(), site: Pooled(), novelty: Pooled(), popularity: Pooled())
        for (fold, foldLists) in zip(folds, folded) {
            let train = fold.split.train
            var interactions = [Int](repeating: 0, count: train.articles.count)
            var readerSets = [Set<Int32>](repeating: [], count: train.articles.count)
            for i in 0..<train.events.count {
                interactions[Int(train.events.article[i])] += 1
                if train.events.reader[i] >= 0 {
                    readerSets[Int(train.events.article[i])].insert(train.events.reader[i])
                }
            }
            let readers = Set(train.events.reader.filter { $0 >= 0 }).count
            let site = train.articles.site
            let n = Double(fold.split.cases.count)
            pooled.crossSite.add(
                BeyondAccuracy.crossSiteShare(
                    lists: foldLists, caseSites: fold.split.cases.map(\.group), k: k, site: site), n)
            pooled.tag.add(
                BeyondAccuracy.intraListDiversity(lists: foldLists, k: k) { a in
                    train.articles.tags(of: Int(a)).first ?? -1
                }, n)
            pooled.site.add(BeyondAccuracy.intraListDiversity(lists: foldLists, k: k) { site[Int($0)] }, n)
            pooled.novelty.add(
                BeyondAccuracy.novelty(lists: foldLists, k: k, interactions: interactions, total: train.events.count),
                n)
            pooled.popularity.add(
                BeyondAccuracy.popularityBias(
                    lists: foldLists, k: k, readersPerArticle: readerSets.map(\.count), readers: readers), n)
        }
        // By age: each relevant article's age when its case was asked (publish time, else first engagement in
        // training), and whether the list has it in its first k.
        // Where every case has one relevant article (leave-last-out, session), also nDCG over each group's cases.
        var byAge = [AgePoint](repeating: AgePoint(relevant: 0, hits: 0), count: ArticleAge.groups.count)
        let single = cases.allSatisfy { $0.relevance.count == 1 }
        var ndcgSums = [Double](repeating: 0, count: byAge.count)
        let ndcg = perCase[k]?[.ndcg] ?? []
        var index = 0
        for (fold, foldLists) in zip(folds, folded) {
            let born = ArticleAge.born(fold.split.train)
            for (list, c) in zip(foldLists, fold.split.cases) {
                defer { index += 1 }
                let top = Set(list.prefix(k))
                for article in c.relevance.keys {
                    guard let group = ArticleAge.group(of: article, born: born, at: c.now) else { continue }
                    byAge[group].relevant += 1
                    if top.contains(article) { byAge[group].hits += 1 }
                    if single, index < ndcg.count { ndcgSums[group] += ndcg[index] }
                }
            }
        }
        if single {
            for g in byAge.indices where byAge[g].relevant > 0 {
                byAge[g].ndcg = ndcgSums[g] / Double(byAge[g].relevant)
            }
        }
        // Per site: the mean of HitRate and nDCG at the statistics k over the cases of that site.
        var bySite: [Int32: (hit: Double, ndcg: Double, n: Int)] = [:]
        if let hits = perCase[k]?[.hitRate], let ndcg = perCase[k]?[.ndcg] {
            for (i, c) in cases.enumerated() {
                guard let g = c.group else { continue }
                let old = bySite[g] ?? (0, 0, 0)
                bySite[g] = (old.hit + hits[i], old.ndcg + ndcg[i], old.n + 1)
            }
        }
        var result = SystemResult(
            name: system.name, kind: system.kind, summary: system.summary, seconds: seconds,
            emptyLists: lists.lazy.filter(\.isEmpty).count,
            perCase: perCase,
            coverage: BeyondAccuracy.coverage(
                lists: lists, k: k, catalogueSize: folds.map(\.split.liveCount).max() ?? 0),
            crossSiteShare: pooled.crossSite.mean,
            tagDiversity: pooled.tag.mean,
            siteDiversity: pooled.site.mean,
            novelty: pooled.novelty.mean ?? 0,
            popularityBias: pooled.popularity.mean ?? 0,
            perSite: bySite.sorted { $0.key < $1.key }.map { (g, v) in
                SitePoint(site: g, cases: v.n, hitRate: v.hit / Double(v.n), ndcg: v.ndcg / Double(v.n))
            },
            byAge: byAge,
            lists: boxes(options.ks.max() ?? k).flatMap { $0 })
        if system.shapesItsBox {
            for size in options.ks { result.boxes[size] = boxes(size).flatMap { $0 } }
        }
        return result
    }
}

/// Age groups of relevant articles: how old each was when its case was asked, from its publish time or, where
/// the data has none, its first engagement in training. The report counts each system's hits per group, which
/// shows what a system is good at: what is new, what has been read for weeks, or the archive.
public enum ArticleAge {
    /// Upper bounds in days (the last group is open) and their labels.
    public static let bounds: [Double] = [1, 7, 30, 90]
    public static let groups = ["under 1 day", "1 to 7 days", "7 to 30 days", "30 to 90 days", "over 90 days"]

    /// Each article's birth (ms): its publish time, else its first event in `train`; `nil` for neither.
    static func born(_ train: Snapshot) -> [Int64?] {
        var first = train.articles.publishedAt
        for i in 0..<train.events.count {
            let a = Int(train.events.article[i])
            if train.articles.publishedAt[a] == nil { first[a] = min(first[a] ?? .max, train.events.time[i]) }
        }
        return first
    }

    /// The group of `article` asked about at `now`; `nil` when its birth is unknown.
    static func group(of article: Int32, born: [Int64?], at now: Timestamp) -> Int? {
        guard Int(article) < born.count, let t = born[Int(article)] else { return nil }
        let days = Duration.milliseconds(now.milliseconds - t).inDays
        return bounds.firstIndex { days < $0 } ?? bounds.count
    }
}

/// One age group's relevant (case, article) pairs and how many of them a system put in its first k.
public struct AgePoint: Sendable, Hashable {
    public var relevant: Int
    public var hits: Int
    /// Where every case has one relevant article: the mean nDCG at k over the group's cases; else `nil`.
    public var ndcg: Double?

    public init(relevant: Int, hits: Int, ndcg: Double? = nil) {
        self.relevant = relevant
        self.hits = hits
        self.ndcg = ndcg
    }

    /// hits / relevant; `nil` for an empty group.
    public var share: Double? { relevant > 0 ? Double(hits) / Double(relevant) : nil }
}

/// A weighted mean of optional figures (folds where a figure is undefined are left out).
struct Pooled {
    var sum = 0.0
    var weight = 0.0

    mutating func add(_ value: Double?, _ w: Double) {
        guard let value, w > 0 else { return }
        sum += value * w
        weight += w
    }

    var mean: Double? { weight > 0 ? sum / weight : nil }
}

public struct SitePoint: Sendable, Hashable {
    public var site: Int32
    public var cases: Int
    public var hitRate: Double
    public var ndcg: Double
}

extension EvaluationResult {
    /// Writes what an independent implementation needs to recompute the accuracy metrics: per system, every
    /// case's ranked list, graded relevance and `now` (ms), and Trendmix's means over the cases with a non-empty
    /// list (the cases `recommenders.evaluation.python_evaluation` averages over). `Evaluation/peers/check_metrics.py`
    /// reads it.
    public func writeMetricCheck(cases: [EvaluationCase], to path: String) throws {
        var out = "{\"ks\":[" + ks.map(String.init).joined(separator: ",") + "],\"systems\":["
        // A system that shapes its box is written once per cut-off, with the box of that size and that cut-off only.
        let written = systems.flatMap { s in
            s.boxes.isEmpty
                ? [(s, s.name, s.lists, ks)] : ks.map { k in (s, "\(s.name) (box of \(k))", s.boxes[k] ?? [], [k]) }
        }
        for (n, (s, name, lists, systemKs)) in written.enumerated() {
            if n > 0 { out += "," }
            out += "{\"name\":\(jsonString(name)),\"ks\":[" + systemKs.map(String.init).joined(separator: ",") + "]"
            out += ",\"cases\":["
            for (i, c) in cases.enumerated() {
                if i > 0 { out += "," }
                out += "{\"ranked\":[" + lists[i].map(String.init).joined(separator: ",") + "],\"relevance\":{"
                out += c.relevance.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\(jsonNumber($0.value))" }
                    .joined(separator: ",")
                out += "},\"now\":\(c.now.milliseconds)}"
            }
            out += "],\"means\":{"
            var entries: [String] = []
            let nonEmpty = lists.indices.filter { !lists[$0].isEmpty }
            for k in systemKs {
                for metric in AccuracyMetric.allCases {
                    let values = s.perCase[k]?[metric] ?? []
                    let mean = nonEmpty.isEmpty ? 0 : nonEmpty.map { values[$0] }.reduce(0, +) / Double(nonEmpty.count)
                    entries.append("\"\(metric.rawValue)@\(k)\":\(jsonNumber(mean))")
                }
            }
            out += entries.joined(separator: ",") + "}}"
        }
        out += "]}\n"
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// Shortest round-trip text of a finite double (Swift's description), `0` otherwise.
private func jsonNumber(_ x: Double) -> String { x.isFinite ? "\(x)" : "0" }
