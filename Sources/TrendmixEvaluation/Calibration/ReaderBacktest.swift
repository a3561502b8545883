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
        // Readers with engagement in the window, and what they engaged with there: dense slots, not a dictionary
        // keyed by reader (the scans below read every event once; at 10M events, hashing each one cost 1.3 s of
        // an origin's 2.5 s).
        var slot = [Int32](repeating: -1, count: snapshot.readers.count)
        var windowReaders: [Int32] = []
        var windowReads: [[Int32: Double]] = []
        for i in 0..<events.count where events.time[i] >= before && events.time[i] < end && events.reader[i] >= 0 {
            let w = configuration.weights.weight(events.type[i], value: events.value[i])
            guard w > 0, live[Int(events.article[i])] else { continue }
            let u = events.reader[i]
            if slot[Int(u)] < 0 {
                slot[Int(u)] = Int32(windowReaders.count)
                windowReaders.append(u)
                windowReads.append([:])
            }
            windowReads[Int(slot[Int(u)])][events.article[i], default: 0] += w
        }
        // A case needs history before T: readers with some, in a seeded order. Cases are sampled, at most
        // ``CalibrationConfiguration/maximumReaderCases`` per site, so only the first readers in that order are
        // looked at closely (which window articles they had read before T), in rounds that double, until every
        // site has its cases or no reader is left: at 10M events, building every window reader's case took 1 s of
        // an origin's 2.5 s.
        var hasHistory = [Bool](repeating: false, count: windowReaders.count)
        var trainCount = 0
        for i in 0..<events.count where events.time[i] < before {
            trainCount += 1
            let u = events.reader[i]
            if u >= 0, slot[Int(u)] >= 0 { hasHistory[Int(slot[Int(u)])] = true }
        }
        var random = SplitMix64(seed: seed)
        var order = windowReaders.indices.filter { hasHistory[$0] }.sorted { windowReaders[$0] < windowReaders[$1] }
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.next(below: i + 1)) }
        let crossSite = snapshot.sites.count > 1
        let siteCount = snapshot.sites.count
        var bySite = [[Case]](repeating: [], count: siteCount)
        var next = 0
        var round = max(1, c.maximumReaderCases * siteCount * 2)
        // How many readers not yet looked at read each site in the window: a round is worth its scan only while
        // one of them read a site still short of cases (else a site that can never fill would send every reader
        // through the rounds). Each reader's sites, flat, in `order`'s positions.
        var remaining = [Int](repeating: 0, count: siteCount)
        var readerSites: [Int32] = []
        var offsets = [0]
        var stamp = [Int](repeating: -1, count: siteCount)
        for (p, s) in order.enumerated() {
            for a in windowReads[s].keys {
                let site = Int(snapshot.articles.site[Int(a)])
                guard stamp[site] != p else { continue }
                stamp[site] = p
                readerSites.append(Int32(site))
                remaining[site] += 1
            }
            offsets.append(readerSites.count)
        }
        while next < order.count,
            (0..<siteCount).contains(where: { bySite[$0].count < c.maximumReaderCases && remaining[$0] > 0 })
        {
            let chosen = order[next..<min(order.count, next + round)]
            for site in readerSites[offsets[next]..<offsets[chosen.endIndex]] { remaining[Int(site)] -= 1 }
            next = chosen.endIndex
            round *= 2
            var looked = [Bool](repeating: false, count: windowReaders.count)
            for s in chosen { looked[s] = true }
            // The window articles each chosen reader had read before T: not new to them.
            var seen = [Int: Set<Int32>]()
            for i in 0..<events.count where events.time[i] < before {
                let u = events.reader[i]
                guard u >= 0 else { continue }
                let s = Int(slot[Int(u)])
                guard s >= 0, looked[s], windowReads[s][events.article[i]] != nil else { continue }
                seen[s, default: []].insert(events.article[i])
            }
            for s in chosen {
                var grades: [Int32: [Int32: Double]] = [:]
                for (a, w) in windowReads[s] where seen[s]?.contains(a) != true {
                    grades[snapshot.articles.site[Int(a)], default: [:]][a] = w
                }
                let u = windowReaders[s]
                if crossSite,
                    let site = grades.max(by: { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) })?.key
                {
                    // Several sites: the box a reader is served ranks them together, as the rolling protocol's
                    // case does; the case counts for the site of most of its reads.
                    guard bySite[Int(site)].count < c.maximumReaderCases else { continue }
                    let all = grades.values.reduce(into: [Int32: Double]()) { $0.merge($1) { a, _ in a } }
                    bySite[Int(site)].append(Case(reader: u, site: site, relevance: all, crossSite: true))
                    continue
                }
                for (site, relevance) in grades where bySite[Int(site)].count < c.maximumReaderCases {
                    bySite[Int(site)].append(Case(reader: u, site: site, relevance: relevance))
                }
            }
        }
        let cases = bySite.flatMap { $0.sorted { $0.reader < $1.reader } }
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
