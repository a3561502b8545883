public import TrendmixCore

/// The evaluation protocols (see Evaluation/README.md for their definitions).
public enum EvaluationProtocol: Sendable, Hashable {
    /// Train on events before the cut, judge each known reader on the articles they engaged with after it.
    case temporal(Cut)
    /// The temporal protocol as a deployment replays it, with the model rebuilt every `horizon`: origins at the
    /// cut, cut + horizon, cut + 2·horizon, … (at most `origins`, or until the data ends), each trained on every
    /// event before it and judged on the reader's new articles within the next horizon; every (reader, origin)
    /// a case.
    case rollingTemporal(Cut, horizon: Duration, origins: Int? = nil)
    /// Each reader's last article (with at least two) is held out; the rest trains.
    case leaveLastOut
    /// After the cut, each step of a session from article a to a different article b is a case: seed a, relevant b.
    case session(Cut)
    /// SAR's protocol: per reader, a seeded random 75/25 split of the articles they engaged with.
    case sarStratified(ratio: Double, seed: UInt64)
    /// At the cut T, rank each site's live articles; relevance is engagement in [T, T + horizon). With several
    /// origins, the same again at T − horizon, T − 2·horizon, … (rolling origins, each with its own training
    /// events), every (site, origin) a case.
    case trendingPrediction(Cut, horizon: Duration, origins: Int = 1)

    /// Where a temporal protocol cuts.
    public enum Cut: Sendable, Hashable {
        case time(Timestamp)
        /// The time before which this share of the events lies.
        case fraction(Double)
    }

    /// The protocols by name, as `trendmix evaluate --protocol` takes them.
    public enum Name: String, CaseIterable, Sendable {
        case temporal
        case rollingTemporal = "temporal-rolling"
        case leaveLastOut = "leave-last-out"
        case session
        case sarStratified = "sar-stratified"
        case trending

        /// Every name, comma-separated, for help and error messages.
        public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    /// The protocol's kind.
    public var kind: Name {
        switch self {
        case .temporal: .temporal
        case .rollingTemporal: .rollingTemporal
        case .leaveLastOut: .leaveLastOut
        case .session: .session
        case .sarStratified: .sarStratified
        case .trendingPrediction: .trending
        }
    }

    public var name: String { kind.rawValue }

    /// Whether systems rank for a reader (and leave out what the reader read).
    public var personalised: Bool {
        switch self {
        case .temporal, .rollingTemporal, .leaveLastOut, .sarStratified: true
        case .session, .trendingPrediction: false
        }
    }
}

extension EvaluationProtocol {
    /// Splits `snapshot` (every event in the store) by this protocol.
    /// - Parameter weights: how much each held-out event counts towards its article's grade.
    /// - Throws: ``SplitError``.
    public func split(_ snapshot: Snapshot, weights: EventWeights) throws -> Split {
        let events = snapshot.events
        guard events.count > 0 else { throw SplitError.noEvents }
        switch self {
        case .temporal(let cut):
            return try temporalSplit(snapshot, weights: weights, at: try cutTime(cut, snapshot), until: nil)

        case .rollingTemporal(let cut, let horizon, _):
            let t = try cutTime(cut, snapshot)
            return try temporalSplit(
                snapshot, weights: weights, at: t, until: t.milliseconds + Int64(horizon.inMilliseconds))

        case .leaveLastOut:
            // Each reader's events in time order (ties by position); a reader with two or more articles holds
            // out the article of their last event, with every event they had on it.
            var byReader: [Int32: [Int]] = [:]
            for i in 0..<events.count where events.reader[i] >= 0 { byReader[events.reader[i], default: []].append(i) }
            var heldOut: [Int32: Int32] = [:]
            for (u, rows) in byReader {
                let ordered = rows.sorted { (events.time[$0], $0) < (events.time[$1], $1) }
                let distinct = Set(ordered.map { events.article[$0] })
                guard distinct.count >= 2, let last = ordered.last else { continue }
                heldOut[u] = events.article[last]
            }
            let train = snapshot.filteringEvents { i in
                let u = events.reader[i]
                return u < 0 || heldOut[u] != events.article[i]
            }
            let now = train.lastEventTime ?? Timestamp(milliseconds: events.time.max() ?? 0)
            let live = Self.live(snapshot, train: train, now: Timestamp(milliseconds: Int64.max))
            let cases = heldOut.sorted { $0.key < $1.key }.compactMap { (u, a) -> EvaluationCase? in
                guard live[Int(a)] else { return nil }
                return EvaluationCase(reader: u, group: snapshot.articles.site[Int(a)], relevance: [a: 1], now: now)
            }
            guard !cases.isEmpty else { throw SplitError.noCases(name) }
            return Split(
                name: name, description: "each reader's last article held out (readers with two or more)",
                train: train, cases: cases, now: now, live: live, removeSeen: true)

        case .session(let cut):
            let t = try cutTime(cut, snapshot)
            let train = snapshot.filteringEvents(before: t)
            let live = Self.live(snapshot, train: train, now: t)
            var bySession: [Int32: [Int]] = [:]
            for i in 0..<events.count where events.time[i] >= t.milliseconds && events.session[i] >= 0 {
                bySession[events.session[i], default: []].append(i)
            }
            var cases: [EvaluationCase] = []
            for (_, rows) in bySession.sorted(by: { $0.key < $1.key }) {
                let ordered = rows.sorted { (events.time[$0], $0) < (events.time[$1], $1) }
                var previous: Int32?
                var visit: [Int32] = []
                var previousTime: Int64 = 0
                for i in ordered {
                    let a = events.article[i]
                    if let p = previous, p != a, live[Int(p)], live[Int(a)] {
                        cases.append(
                            EvaluationCase(
                                seed: p, group: snapshot.articles.site[Int(p)], relevance: [a: 1], now: t,
                                visit: visit, visitTime: Timestamp(milliseconds: previousTime)))
                    }
                    if visit.last != a { visit.append(a) }
                    previous = a
                    previousTime = events.time[i]
                }
            }
            guard !cases.isEmpty else { throw SplitError.noCases(name + " (no session moves to another article)") }
            return Split(
                name: name, description: "after \(t.iso8601): given the article just read, the next one in the session",
                train: train, cases: cases, now: t, live: live, removeSeen: false)

        case .sarStratified(let ratio, let seed):
            guard ratio > 0, ratio < 1 else { throw SplitError.invalidParameter("the ratio must be in (0, 1)") }
            // Unique (reader, article) pairs, grouped by reader in reader order, articles in index order, then
            // shuffled per reader with one seeded generator: the same seed gives the same split.
            var pairs: [Int32: Set<Int32>] = [:]
            for i in 0..<events.count where events.reader[i] >= 0 {
                pairs[events.reader[i], default: []].insert(events.article[i])
            }
            var random = SplitMix64(seed: seed)
            var testPairs: [Int32: Set<Int32>] = [:]
            for (u, read) in pairs.sorted(by: { $0.key < $1.key }) {
                var articles = read.sorted()
                guard articles.count >= 2 else { continue }
                // Fisher–Yates with the project's own generator: the standard library's shuffle may change
                // between toolchains, and the same seed must give the same split everywhere.
                for i in stride(from: articles.count - 1, to: 0, by: -1) {
                    articles.swapAt(i, random.next(below: i + 1))
                }
                let trainCount = max(1, min(articles.count - 1, Int((Double(articles.count) * ratio).rounded())))
                testPairs[u] = Set(articles[trainCount...])
            }
            let train = snapshot.filteringEvents { i in
                let u = events.reader[i]
                return u < 0 || testPairs[u]?.contains(events.article[i]) != true
            }
            let now = Timestamp(milliseconds: events.time.max() ?? 0)
            let live = Self.live(snapshot, train: train, now: Timestamp(milliseconds: Int64.max))
            var relevance: [Int32: [Int32: Double]] = [:]
            for i in 0..<events.count {
                let u = events.reader[i]
                guard u >= 0, testPairs[u]?.contains(events.article[i]) == true, live[Int(events.article[i])] else {
                    continue
                }
                relevance[u, default: [:]][events.article[i], default: 0] += max(
                    weights.weight(events.type[i], value: events.value[i]), 0)
            }
            let cases = relevance.sorted { $0.key < $1.key }.compactMap { (u, all) -> EvaluationCase? in
                let grades = all.filter { $0.value > 0 }
                guard !grades.isEmpty else { return nil }
                return EvaluationCase(
                    reader: u, group: Self.majoritySite(grades, snapshot), relevance: grades, now: now)
            }
            guard !cases.isEmpty else { throw SplitError.noCases(name) }
            return Split(
                name: name,
                description: "per reader, a seeded random \(Int(ratio * 100))/\(100 - Int(ratio * 100)) split",
                train: train, cases: cases, now: now, live: live, removeSeen: true)

        case .trendingPrediction(let cut, let horizon, _):
            let t = try cutTime(cut, snapshot)
            let end = t.milliseconds + Int64(horizon.inMilliseconds)
            let train = snapshot.filteringEvents(before: t)
            let live = Self.live(snapshot, train: train, now: t)
            let relevance = Self.siteEngagement(
                snapshot, weights: weights, live: live, from: t, to: Timestamp(milliseconds: end))
            let cases = (0..<snapshot.sites.count).compactMap { s -> EvaluationCase? in
                relevance[s].isEmpty
                    ? nil : EvaluationCase(site: Int32(s), group: Int32(s), relevance: relevance[s], now: t)
            }
            guard !cases.isEmpty else { throw SplitError.noCases(name) }
            return Split(
                name: name,
                description:
                    "at \(t.iso8601), rank each site's articles; relevance is engagement in the next \(Int(horizon.inDays)) days",
                train: train, cases: cases, now: t, live: live, removeSeen: false)
        }
    }

    /// The splits of this protocol: one, or one per rolling origin for trending prediction (going back from the
    /// cut) and the rolling temporal protocol (going forward); origins without a case, or outside the data, are
    /// left out.
    /// - Throws: ``SplitError`` when no origin has a case (for trending prediction: when the first has none).
    public func splits(_ snapshot: Snapshot, weights: EventWeights) throws -> [Split] {
        switch self {
        case .trendingPrediction(let cut, let horizon, let origins) where origins > 1:
            let t = try cutTime(cut, snapshot)
            var out: [Split] = []
            for i in 0..<origins {
                let origin = Timestamp(milliseconds: t.milliseconds - Int64(i) * Int64(horizon.inMilliseconds))
                do {
                    out.append(
                        try EvaluationProtocol.trendingPrediction(.time(origin), horizon: horizon)
                            .split(snapshot, weights: weights))
                } catch let error as SplitError {
                    if i == 0 { throw error }
                }
            }
            return out
        case .rollingTemporal(let cut, let horizon, let origins):
            guard horizon.inMilliseconds >= 1 else {
                throw SplitError.invalidParameter("the horizon must be positive")
            }
            let t = try cutTime(cut, snapshot).milliseconds
            let last = snapshot.events.time.max() ?? t
            let step = Int64(horizon.inMilliseconds)
            var out: [Split] = []
            var origin = t
            var tried = 0
            while origin <= last, origins.map({ tried < $0 }) ?? true {
                tried += 1
                if let split = try? EvaluationProtocol.rollingTemporal(
                    .time(Timestamp(milliseconds: origin)), horizon: horizon
                )
                .split(snapshot, weights: weights) {
                    out.append(split)
                }
                origin += step
            }
            guard !out.isEmpty else { throw SplitError.noCases(name) }
            return out
        default:
            return [try split(snapshot, weights: weights)]
        }
    }

    /// Trains on the events before `t` and judges each reader with training history on the live articles new to
    /// them that they engaged with from `t` on (before `until`, when given).
    private func temporalSplit(
        _ snapshot: Snapshot, weights: EventWeights, at t: Timestamp, until end: Int64?
    ) throws -> Split {
        let events = snapshot.events
        let train = snapshot.filteringEvents(before: t)
        let live = Self.live(snapshot, train: train, now: t)
        let trainSeen = Self.readerArticles(train)
        var relevance: [Int32: [Int32: Double]] = [:]
        for i in 0..<events.count where events.time[i] >= t.milliseconds && events.time[i] < end ?? .max {
            let (u, a) = (events.reader[i], events.article[i])
            guard u >= 0, live[Int(a)], trainSeen[u] != nil, trainSeen[u]?.contains(a) == false else { continue }
            let w = weights.weight(events.type[i], value: events.value[i])
            guard w > 0 else { continue }
            relevance[u, default: [:]][a, default: 0] += w
        }
        let cases = relevance.sorted { $0.key < $1.key }.map { (u, grades) in
            EvaluationCase(reader: u, group: Self.majoritySite(grades, snapshot), relevance: grades, now: t)
        }
        guard !cases.isEmpty else { throw SplitError.noCases(name) }
        let window =
            end.map { "in the \(Self.days(Int64($0) - t.milliseconds)) after it" } ?? "after it"
        return Split(
            name: name, description: "train before \(t.iso8601), judge readers on new articles \(window)",
            train: train, cases: cases, now: t, live: live, removeSeen: true)
    }

    private static func days(_ ms: Int64) -> String {
        let d = Duration.milliseconds(ms).inDays
        return d == d.rounded() ? "\(Int(d)) days" : "\(d) days"
    }

    private func cutTime(_ cut: Cut, _ snapshot: Snapshot) throws -> Timestamp {
        try Self.cutTime(cut, in: snapshot)
    }

    /// The time `cut` names in `snapshot`: a time with events on both sides, or the time before which the
    /// fraction of the events lies. Throws ``SplitError/cutOutsideData(_:)`` where the cut leaves one side empty.
    public static func cutTime(_ cut: Cut, in snapshot: Snapshot) throws -> Timestamp {
        let times = snapshot.events.time
        switch cut {
        case .time(let t):
            let before = times.lazy.filter { $0 < t.milliseconds }.count
            guard before > 0, before < times.count else {
                throw SplitError.cutOutsideData("\(before) of \(times.count) events lie before \(t.iso8601)")
            }
            return t
        case .fraction(let f):
            guard f > 0, f < 1 else { throw SplitError.invalidParameter("the cut fraction must be in (0, 1)") }
            let sorted = times.sorted()
            let t = sorted[min(sorted.count - 1, max(1, Int(Double(sorted.count) * f)))]
            guard t > sorted[0] else { throw SplitError.cutOutsideData("all events share one time") }
            return Timestamp(milliseconds: t)
        }
    }

    /// Per site, each live article's weighted engagement in [`start`, `end`): the trending protocol's relevance
    /// (and the calibration's, ``Calibrator``). Daily rows count for their days from `start`'s on.
    static func siteEngagement(
        _ snapshot: Snapshot, weights: EventWeights, live: [Bool], from start: Timestamp, to end: Timestamp
    ) -> [[Int32: Double]] {
        let events = snapshot.events
        var relevance = [[Int32: Double]](repeating: [:], count: snapshot.sites.count)
        for i in 0..<events.count where events.time[i] >= start.milliseconds && events.time[i] < end.milliseconds {
            let a = events.article[i]
            guard live[Int(a)] else { continue }
            let w = weights.weight(events.type[i], value: events.value[i])
            if w > 0 { relevance[Int(snapshot.articles.site[Int(a)])][a, default: 0] += w }
        }
        let daily = snapshot.daily
        for i in 0..<daily.count where daily.day[i] >= start.day && daily.day[i] < end.day {
            let a = daily.article[i]
            guard live[Int(a)] else { continue }
            let w =
                Double(daily.views[i]) * weights[.view] + Double(daily.votes[i]) * weights[.upvote]
                + Double(daily.comments[i]) * weights[.comment]
            if w > 0 { relevance[Int(snapshot.articles.site[Int(a)])][a, default: 0] += w }
        }
        return relevance
    }

    /// Each article's first event and first daily row: what decides whether it is live at a time, without a copy
    /// of the events before it. `live(snapshot, at: t)` equals ``live(_:train:now:)`` with the events and daily rows
    /// before `t` as training (``Snapshot/filteringEvents(before:)``).
    struct FirstEngagement {
        let event: [Int64]
        let day: [Int64]

        init(_ snapshot: Snapshot) {
            var event = [Int64](repeating: .max, count: snapshot.articles.count)
            var day = event
            let e = snapshot.events
            for i in 0..<e.count { event[Int(e.article[i])] = min(event[Int(e.article[i])], e.time[i]) }
            let d = snapshot.daily
            for i in 0..<d.count { day[Int(d.article[i])] = min(day[Int(d.article[i])], d.day[i]) }
            self.event = event
            self.day = day
        }

        func live(_ snapshot: Snapshot, at t: Timestamp) -> [Bool] {
            snapshot.articles.publishedAt.enumerated().map { a, p in
                (p.map { $0 <= t.milliseconds } ?? false) || event[a] < t.milliseconds || day[a] < t.day
            }
        }
    }

    /// Articles published no later than `now`; without a publish time, those with a training event.
    static func live(_ snapshot: Snapshot, train: Snapshot, now: Timestamp) -> [Bool] {
        var live = snapshot.articles.publishedAt.map { p in p.map { $0 <= now.milliseconds } ?? false }
        for i in 0..<train.events.count { live[Int(train.events.article[i])] = true }
        for i in 0..<train.daily.count { live[Int(train.daily.article[i])] = true }
        return live
    }

    static func readerArticles(_ snapshot: Snapshot) -> [Int32: Set<Int32>] {
        var out: [Int32: Set<Int32>] = [:]
        for i in 0..<snapshot.events.count where snapshot.events.reader[i] >= 0 {
            out[snapshot.events.reader[i], default: []].insert(snapshot.events.article[i])
        }
        return out
    }

    static func majoritySite(_ relevance: [Int32: Double], _ snapshot: Snapshot) -> Int32? {
        var count: [Int32: Int] = [:]
        for a in relevance.keys { count[snapshot.articles.site[Int(a)], default: 0] += 1 }
        return count.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
    }
}
