import Foundation
import Testing
import TrendmixCore

@testable import TrendmixEvaluation

/// Issue 20, item 1: a system whose box of k items is not the first k of a longer ranking (Trendmix's quotas and
/// tag diversity reshape the box) is measured at each cut-off on the box of that size, the box that is served.
@Suite struct ServedBoxTests {
    static func split() -> Split {
        var articles = Snapshot.Articles()
        for i in 0..<4 { articles.append(site: 0, externalID: "a\(i)") }
        let train = Snapshot(
            sites: [Site(slug: "s", name: "S", kind: "news", baseURL: "https://s.example")], articles: articles,
            tags: [], readers: ["r0"], events: Snapshot.Events())
        let cases = [EvaluationCase(reader: 0, relevance: [2: 1], now: Timestamp(milliseconds: 0))]
        return Split(
            name: "t", description: "t", train: train, cases: cases, now: cases[0].now, live: [true, true, true, true],
            removeSeen: false)
    }

    /// A box of one holds the relevant article 2; any longer box leads with 0 and 1 and holds 2 third.
    static let rank: @Sendable (Int, EvaluationCase, Int) -> [Int32] = { _, _, k in
        k == 1 ? [2] : Array([0, 1, 2, 3].prefix(k))
    }

    @Test func eachCutOffIsReadFromTheBoxOfThatSize() throws {
        var shaped = EvaluatedSystem(name: "shaped", kind: .trendmix, summary: "box", rank: Self.rank)
        shaped.shapesItsBox = true
        let ranking = EvaluatedSystem(name: "ranking", kind: .baseline, summary: "ranking", rank: Self.rank)
        var options = Evaluation.Options()
        options.ks = [1, 3]
        options.statisticsK = 1
        options.resamples = 0
        let result = Evaluation(split: Self.split(), systems: [shaped, ranking], options: options).run()
        // The shaped system's HitRate@1 comes from its box of one; the ranking's from the first of its four.
        #expect(result.systems[0].mean(.hitRate, at: 1) == 1)
        #expect(result.systems[1].mean(.hitRate, at: 1) == 0)
        #expect(result.systems[0].mean(.hitRate, at: 3) == 1 && result.systems[1].mean(.hitRate, at: 3) == 1)
        #expect(result.systems[0].boxes[1] == [[2]] && result.systems[0].boxes[3] == [[0, 1, 2]])
        #expect(result.systems[1].boxes.isEmpty && result.systems[1].lists == [[0, 1, 2]])

        // The metric check gets one entry per box of the shaped system, each with its own cut-off.
        let file = NSTemporaryDirectory() + "served-box-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try result.writeMetricCheck(cases: Self.split().cases, to: file)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let systems = try #require(json["systems"] as? [[String: Any]])
        #expect(systems.map { $0["name"] as? String } == ["shaped (box of 1)", "shaped (box of 3)", "ranking"])
        #expect(systems.map { $0["ks"] as? [Int] } == [[1], [3], [1, 3]])
    }
}
