import TrendmixCore
import TrendmixLinearAlgebra

/// One origin of the reader box's backtest (``Calibrator``): a model built on the events before T, and the cases
/// of the rolling temporal protocol at T, one per (reader, site they read on), at most
/// ``CalibrationConfiguration/maximumReaderCases`` per site (a seeded sample). The model has no session index
/// (boxes for a reader do not read it), co-occurrence over a seeded sample of the readers where the events before
/// T are more than ``CalibrationConfiguration/maximumSampledEvents``, and affinities of the cases' readers only.
struct ReaderBacktest {
    struct Case {
        var reader: Int32
        var site: Int32
        var relevance: [Int32: Double]
        /// The box ranks every site (a several-site catalogue), not `site` alone.
        var crossSite = false
    }

    /// `nil` where the origin has no case.
    let model: RecommendationModel?
    let cases: [Case]

    /// - Parameters:
    ///   - horizon: the judged window after `t`, in milliseconds.
    ///   - live: the articles live at `t`.
    init(
        _ snapshot: Snapshot, configuration: ModelConfiguration, at t: Timestamp, horizon: Int64, live: [Bool],
        seed: UInt64
    ) {
        let c = configuration.calibration
        let events = snapshot.events
        let before = t.milliseconds
        let end = before + horizon
        // Readers with engagement in the window, and what they engaged with there.
        var window: [Int32: [Int32: Double]] = [:]
        for i in 0..<events.count where events.time[i] >= before && events.time[i] < end && events.reader[i] >= 0 {
            let w = configuration.weights.weight(events.type[i], value: events.value[i])
            guard w > 0, live[Int(events.article[i])] else { continue }
            window[events.reader[i], default: [:]][events.article[i], default: 0] += w
        }
        // Their history before T: a case needs some, and articles in it are not new to them.
        var history: [Int32: Set<Int32>] = [:]
        var trainCount = 0
        for i in 0..<events.count where events.time[i] < before {
            trainCount += 1
            let u = events.reader[i]
            if u >= 0, window[u] != nil { history[u, default: []].insert(events.article[i]) }
        }
        var bySite: [Int32: [Case]] = [:]
        let crossSite = snapshot.sites.count > 1
        for (u, read) in window.sorted(by: { $0.key < $1.key }) {
            guard let seen = history[u] else { continue }
            var grades: [Int32: [Int32: Double]] = [:]
            for (a, w) in read where !seen.contains(a) { grades[snapshot.articles.site[Int(a)], default: [:]][a] = w }
            if crossSite, let site = grades.max(by: { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) })?.key {
                // Several sites: the box a reader is served ranks them together, as the rolling protocol's case
                // does; the case counts for the site of most of its reads.
                let all = grades.values.reduce(into: [Int32: Double]()) { $0.merge($1) { a, _ in a } }
                bySite[site, default: []].append(Case(reader: u, site: site, relevance: all, crossSite: true))
                continue
            }
            for (site, relevance) in grades {
                bySite[site, default: []].append(Case(reader: u, site: site, relevance: relevance))
            }
        }
        var random = SplitMix64(seed: seed)
        var cases: [Case] = []
        for site in bySite.keys.sorted() {
            var list = bySite[site] ?? []
            if list.count > c.maximumReaderCases {
                for i in stride(from: list.count - 1, to: 0, by: -1) { list.swapAt(i, random.next(below: i + 1)) }
                list = Array(list.prefix(c.maximumReaderCases)).sorted { $0.reader < $1.reader }
            }
            cases += list
        }
        self.cases = cases
        guard !cases.isEmpty else {
            model = nil
            return
        }
        // Co-occurrence over a seeded sample of readers where the events before T are many; affinities for the
        // cases' readers only (nobody else is asked).
        let rate = trainCount > c.maximumSampledEvents ? Double(c.maximumSampledEvents) / Double(trainCount) : 1
        var kept = [Bool](repeating: rate >= 1, count: snapshot.readers.count)
        if rate < 1 {
            for u in kept.indices { kept[u] = random.nextUnit() < rate }
        }
        var asked = [Bool](repeating: false, count: snapshot.readers.count)
        for item in cases { asked[Int(item.reader)] = true }
        let sampled = snapshot.filteringEvents { i in
            events.time[i] < before && (events.reader[i] < 0 || kept[Int(events.reader[i])])
        }
        let readers = snapshot.filteringEvents {
            events.time[$0] < before && events.reader[$0] >= 0 && asked[Int(events.reader[$0])]
        }
        let learned = LearnedModel(
            readers: snapshot.readers,
            neighbours: .learned(snapshot: sampled, configuration: configuration.cooccurrence),
            sessionNeighbours: .empty(articleCount: snapshot.articles.count),
            trending: TrendingScores(
                snapshot: snapshot, weights: configuration.weights, recency: configuration.recency,
                configuration: configuration.trending, now: Timestamp(milliseconds: before - 1)),
            affinity: ReaderAffinity(
                snapshot: readers, weights: configuration.weights,
                decay: configuration.affinityHalfLife.map { RecencyDecay(halfLife: $0) }, now: t))
        model = RecommendationModel(
            catalogue: snapshot.catalogue, learned: learned, builtAt: t, configuration: configuration)
    }
}
