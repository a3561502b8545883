import Testing
import TrendmixCore

@testable import TrendmixEvaluation

/// A seeded random catalogue: 3 sites, 60 articles published over 30 days, 40 readers with sessions, 2,000 views
/// and likes spread over 60 days.
func randomSnapshot(seed: UInt64 = 3) -> Snapshot {
    var random = SplitMix64(seed: seed)
    let day: Int64 = 86_400_000
    var a = Snapshot.Articles()
    for i in 0..<60 {
        a.append(
            site: Int32(i % 3), externalID: "a\(i)", title: "Article \(i)", publishedAt: Int64(i / 2) * day,
            tags: [Int32(i % 5)])
    }
    var e = Snapshot.Events()
    var session: Int32 = 0
    for n in 0..<2000 {
        if n % 4 == 0 { session += 1 }
        let time = Int64(random.next(below: 60 * 24)) * day / 24
        let live = Int(min(59, time / day * 2 + 1))
        e.append(
            article: Int32(random.next(below: live + 1)), reader: Int32(random.next(below: 40)), session: session,
            type: n % 5 == 0 ? .like : .view, time: time)
    }
    return Snapshot(
        sites: ["news", "travel", "blog"].map {
            Site(slug: $0, name: $0.capitalized, kind: $0, baseURL: "https://\($0).example")
        },
        articles: a, tags: (0..<5).map { "t\($0)" }, readers: (0..<40).map { "r\($0)" }, sessionCount: Int(session) + 1,
        events: e)
}

@Suite struct SplitTests {
    let snapshot = randomSnapshot()
    let weights = EventWeights.default

    /// (reader, article) pairs of the training events.
    func trainPairs(_ split: Split) -> Set<[Int32]> {
        Set((0..<split.train.events.count).map { [split.train.events.reader[$0], split.train.events.article[$0]] })
    }

    @Test func temporalKeepsTheFutureOutOfTraining() throws {
        let split = try EvaluationProtocol.temporal(.fraction(0.7)).split(snapshot, weights: weights)
        let cut = split.now.milliseconds
        #expect(split.train.events.time.allSatisfy { $0 < cut })
        #expect(split.train.events.count + snapshot.events.time.filter { $0 >= cut }.count == snapshot.events.count)
        let seen = trainPairs(split)
        for c in split.cases {
            let reader = try #require(c.reader)
            #expect(seen.contains { $0[0] == reader })  // known reader
            for (article, grade) in c.relevance {
                #expect(grade > 0 && split.live[Int(article)])
                #expect(!seen.contains([reader, article]))  // a new article for this reader
                #expect(snapshot.articles.publishedAt[Int(article)]! <= cut)
            }
        }
        #expect(split.cases.count > 5)
        // Indices are the full snapshot's.
        #expect(split.train.articles == snapshot.articles && split.train.readers == snapshot.readers)
    }

    @Test func temporalCutsAtAGivenTime() throws {
        let t = Timestamp(milliseconds: 40 * 86_400_000)
        let split = try EvaluationProtocol.temporal(.time(t)).split(snapshot, weights: weights)
        #expect(split.now == t)
        #expect(throws: SplitError.self) {
            try EvaluationProtocol.temporal(.time(Timestamp(milliseconds: -1))).split(snapshot, weights: weights)
        }
    }

    @Test func leaveLastOutHoldsOutEachReadersLastArticle() throws {
        let split = try EvaluationProtocol.leaveLastOut.split(snapshot, weights: weights)
        let seen = trainPairs(split)
        for c in split.cases {
            let reader = try #require(c.reader)
            #expect(c.relevance.count == 1)
            let article = c.relevance.keys.first!
            #expect(!seen.contains([reader, article]))
            // It is the reader's latest event in the full data.
            let latest = (0..<snapshot.events.count).filter { snapshot.events.reader[$0] == reader }
                .max { (snapshot.events.time[$0], $0) < (snapshot.events.time[$1], $1) }!
            #expect(snapshot.events.article[latest] == article)
        }
        #expect(split.cases.count == 40)
    }

    @Test func sessionCasesFollowTheSessionOrder() throws {
        let split = try EvaluationProtocol.session(.fraction(0.75)).split(snapshot, weights: weights)
        let cut = split.now.milliseconds
        #expect(split.train.events.time.allSatisfy { $0 < cut })
        for c in split.cases {
            let seed = try #require(c.seed)
            let next = c.relevance.keys.first!
            #expect(seed != next && c.relevance.count == 1 && c.reader == nil)
            // Some session after the cut has seed then next as consecutive events.
            let e = snapshot.events
            var found = false
            for i in 0..<e.count where e.time[i] >= cut && e.article[i] == seed {
                for j in 0..<e.count where e.session[j] == e.session[i] && e.article[j] == next {
                    if e.time[j] >= e.time[i] { found = true }
                }
            }
            #expect(found)
        }
    }

    @Test func sarStratifiedIsSeededAndLeakFree() throws {
        let a = try EvaluationProtocol.sarStratified(ratio: 0.75, seed: 11).split(snapshot, weights: weights)
        let b = try EvaluationProtocol.sarStratified(ratio: 0.75, seed: 11).split(snapshot, weights: weights)
        let c = try EvaluationProtocol.sarStratified(ratio: 0.75, seed: 12).split(snapshot, weights: weights)
        #expect(a.cases == b.cases && a.train.events == b.train.events)
        #expect(a.cases != c.cases)
        let seen = trainPairs(a)
        var test = 0
        for x in a.cases {
            for article in x.relevance.keys {
                #expect(!seen.contains([x.reader!, article]))
                test += 1
            }
        }
        let pairs = Set((0..<snapshot.events.count).map { [snapshot.events.reader[$0], snapshot.events.article[$0]] })
        let share = Double(test) / Double(pairs.count)
        #expect(share > 0.2 && share < 0.3)
    }

    @Test func trendingRelevanceIsTheNextHorizon() throws {
        let split = try EvaluationProtocol.trendingPrediction(.fraction(0.5), horizon: .days(3))
            .split(snapshot, weights: weights)
        let (t, end) = (split.now.milliseconds, split.now.milliseconds + 3 * 86_400_000)
        #expect(split.train.events.time.allSatisfy { $0 < t })
        for c in split.cases {
            let site = try #require(c.site)
            var expected: [Int32: Double] = [:]
            let e = snapshot.events
            for i in 0..<e.count
            where e.time[i] >= t && e.time[i] < end && snapshot.articles.site[Int(e.article[i])] == site {
                expected[e.article[i], default: 0] += weights.weight(e.type[i], value: e.value[i])
            }
            #expect(c.relevance == expected)
        }
        #expect(split.cases.count == 3)
    }

    @Test func rollingOriginsStepBackOneHorizonEach() throws {
        let p = EvaluationProtocol.trendingPrediction(.fraction(0.8), horizon: .days(5), origins: 4)
        let splits = try p.splits(snapshot, weights: weights)
        #expect(splits.count == 4)
        for (i, split) in splits.enumerated() {
            #expect(split.now.milliseconds == splits[0].now.milliseconds - Int64(i) * 5 * 86_400_000)
            #expect(split.train.events.time.allSatisfy { $0 < split.now.milliseconds })
        }
        // One origin is the plain split.
        let one = try EvaluationProtocol.trendingPrediction(.fraction(0.8), horizon: .days(5)).splits(
            snapshot, weights: weights)
        #expect(one.count == 1 && one[0].cases == splits[0].cases)
    }

    @Test func rollingTemporalStepsForwardJudgingOneHorizonEach() throws {
        let day: Int64 = 86_400_000
        let p = EvaluationProtocol.rollingTemporal(.fraction(0.6), horizon: .days(5))
        let splits = try p.splits(snapshot, weights: weights)
        let first = splits[0].now.milliseconds
        let last = try #require(snapshot.events.time.max())
        // Every origin from the cut to the data's end, one horizon apart (all have cases on this data).
        #expect(splits.count == Int((last - first) / (5 * day)) + 1)
        for (i, split) in splits.enumerated() {
            let origin = split.now.milliseconds
            #expect(origin == first + Int64(i) * 5 * day)
            #expect(split.train.events.time.allSatisfy { $0 < origin })
            let seen = trainPairs(split)
            // Relevance is exactly the known readers' new live articles engaged with in [origin, origin + 5 days).
            var expected: [Int32: Set<Int32>] = [:]
            for e in 0..<snapshot.events.count {
                let (t, u, a) = (snapshot.events.time[e], snapshot.events.reader[e], snapshot.events.article[e])
                guard t >= origin, t < origin + 5 * day, split.live[Int(a)], seen.contains(where: { $0[0] == u }),
                    !seen.contains([u, a])
                else { continue }
                expected[u, default: []].insert(a)
            }
            #expect(
                Dictionary(uniqueKeysWithValues: split.cases.map { ($0.reader ?? -1, Set($0.relevance.keys)) })
                    == expected)
        }
        // --rolling-origins caps the origins; the first is the plain temporal split cut at the same time and
        // judged on one horizon.
        let two = try EvaluationProtocol.rollingTemporal(.fraction(0.6), horizon: .days(5), origins: 2).splits(
            snapshot, weights: weights)
        #expect(two.count == 2 && two[0].cases == splits[0].cases && two[1].cases == splits[1].cases)
        #expect(throws: SplitError.self) {
            try EvaluationProtocol.rollingTemporal(.fraction(0.6), horizon: .zero).splits(snapshot, weights: weights)
        }
    }

    @Test func badParametersAreRefused() {
        #expect(throws: SplitError.self) {
            try EvaluationProtocol.sarStratified(ratio: 1.5, seed: 1).split(snapshot, weights: weights)
        }
        #expect(throws: SplitError.self) {
            try EvaluationProtocol.temporal(.fraction(0)).split(snapshot, weights: weights)
        }
        var empty = snapshot
        empty.events = Snapshot.Events()
        #expect(throws: SplitError.noEvents) { try EvaluationProtocol.leaveLastOut.split(empty, weights: weights) }
    }
}
