import Foundation
import Testing
import TrendmixCore
import TrendmixTestSupport

@testable import TrendmixEvaluation

@Suite struct SessionKNNTests {
    /// A snapshot of sessions, each a list of (article, minute) events.
    static func sessions(_ list: [[(Int, Int64)]], articles: Int) -> Snapshot {
        var a = Snapshot.Articles()
        for i in 0..<articles { a.append(site: 0, externalID: "a\(i)") }
        var e = Snapshot.Events()
        for (s, events) in list.enumerated() {
            for (article, minute) in events {
                e.append(article: Int32(article), reader: -1, session: Int32(s), type: .view, time: minute * 60_000)
            }
        }
        return Snapshot(
            sites: [Site(slug: "news", name: "News", kind: "news", baseURL: "https://n.example")], articles: a,
            tags: [], readers: [], sessionCount: list.count, events: e)
    }

    /// Worked by hand: sessions [1, 2, 3] and [2, 4]; the visit [1, 2] weighs 1 at ½ and 2 at 1, so the first
    /// session's similarity is 1.5 / 2 and the second's 1 / 2, each from the seed (distance 1).
    @Test func vsknnByHand() {
        let s = Self.sessions([[(1, 0), (2, 1), (3, 2)], [(2, 3), (4, 4)]], articles: 5)
        let knn = SessionKNN(snapshot: s, variant: .vsknn)
        let scores = knn.scores(visit: [1, 2], at: Timestamp(milliseconds: 10 * 60_000))
        #expect(scores == [1: 0.75, 2: 1.25, 3: 0.75, 4: 0.5])
        // From an older visit article the neighbour counts half: the visit [4, 1] reaches [2, 4] through 4 only.
        let older = knn.scores(visit: [4, 1], at: Timestamp(milliseconds: 10 * 60_000))
        #expect(older[4] == 0.25 / 2)
        #expect(knn.scores(visit: [], at: Timestamp(milliseconds: 0)).isEmpty)
    }

    /// Repeated engagement of one article in a row is one step of the session; the sample keeps the most recent.
    @Test func sessionsCollapseRepeatsAndTheSampleIsTheMostRecent() {
        let s = Self.sessions([[(1, 0), (1, 1), (2, 2)], [(1, 5), (3, 6)], [(1, 9), (4, 10)]], articles: 5)
        let knn = SessionKNN(snapshot: s, variant: .vsknn, k: 10, sampleSize: 2)
        #expect(knn.sessions[0] == [1, 2])
        let scores = knn.scores(visit: [1], at: Timestamp(milliseconds: 20 * 60_000))
        #expect(scores[2] == nil && scores[3] != nil && scores[4] != nil)
    }

    /// The same scores as the numpy reference (Evaluation/peers/session_knn_reference.py) on seeded sessions,
    /// with a sample smaller than the candidates and k smaller than the sample, so both cuts matter.
    @Test func agreesWithTheNumpyReference() throws {
        guard let python = PeerCheckTests.python() else { return }
        var random = SplitMix64(seed: 21)
        var list: [[(Int, Int64)]] = []
        for s in 0..<300 {
            let length = 2 + Int(random.nextUnit() * 6)
            list.append(
                (0..<length).map { p in
                    let u = random.nextUnit()
                    return (Int(40 * u * u), Int64(s * 30 + p))
                })
        }
        let snapshot = Self.sessions(list, articles: 40)
        let stan = SessionKNN.Variant.stan(positionDecay: 1.02, recencyDays: 0.5, neighbourDecay: 2.05)
        let vsknn = SessionKNN(snapshot: snapshot, variant: .vsknn, k: 15, sampleSize: 60)
        let stanKNN = SessionKNN(snapshot: snapshot, variant: stan, k: 15, sampleSize: 80)
        let cases: [(visit: [Int32], time: Int64)] = (0..<25).map { c in
            let length = 1 + Int(random.nextUnit() * 5)
            var visit: [Int32] = []
            while visit.count < length {
                let a = Int32(40 * random.nextUnit() * random.nextUnit())
                if visit.last != a { visit.append(a) }
            }
            return (visit, Int64(9_000 + c * 7) * 60_000)
        }
        let fixture: [String: Any] = [
            "sessions": vsknn.sessions.map { $0.map(Int.init) }, "times": vsknn.lastTime,
            "cases": cases.map { ["visit": $0.visit.map(Int.init), "time": $0.time] as [String: Any] },
            "k": 15, "sample_vsknn": 60, "sample_stan": 80, "lambda_position": 1.02, "lambda_days": 0.5,
            "lambda_distance": 2.05,
        ]
        let dir = try TemporaryDirectory("session-knn")
        let input = try dir.write("fixture.json", try JSONSerialization.data(withJSONObject: fixture))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Locations.packageRoot + "/Evaluation/peers/session_knn_reference.py", input, dir.file("out.json"),
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let out =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out.json"))))
            as? [String: [[String: Double]]]
        for (name, knn) in [("vsknn", vsknn), ("stan", stanKNN)] {
            let reference = try #require(out?[name])
            try #require(reference.count == cases.count)
            var compared = 0
            for (c, expected) in zip(cases, reference) {
                let mine = knn.scores(visit: c.visit, at: Timestamp(milliseconds: c.time))
                #expect(Set(mine.keys.map { String($0) }) == Set(expected.keys), "\(name) \(c.visit)")
                for (a, score) in mine {
                    #expect(abs(score - (expected[String(a)] ?? .nan)) < 1e-6, "\(name) \(c.visit) article \(a)")
                    compared += 1
                }
            }
            #expect(compared > 100)
        }
    }

    /// The session protocol hands each case its visit so far (the seed last) and the seed's time.
    @Test func sessionCasesCarryTheirVisit() throws {
        let s = Self.sessions([[(1, 0), (2, 1), (3, 2)], [(1, 100), (1, 101), (2, 102), (3, 103)]], articles: 5)
        let split = try EvaluationProtocol.session(.time(Timestamp(milliseconds: 50 * 60_000))).split(
            s, weights: .default)
        #expect(split.cases.map(\.visit) == [[1], [1, 2]])
        #expect(split.cases.map(\.seed) == [1, 2])
        #expect(split.cases.map { $0.visitTime?.milliseconds } == [101 * 60_000, 102 * 60_000])
    }
}
