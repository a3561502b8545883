import Testing
import TrendmixCore

/// `topK` and `selectTop` against a full sort by (score descending, article ascending), on seeded random
/// inputs with many tied scores.
@Suite struct TopKTests {
    func reference(_ entries: [Ranked], _ limit: Int?) -> [Ranked] {
        let sorted = entries.sorted { $0.score != $1.score ? $0.score > $1.score : $0.article < $1.article }
        return Array(sorted.prefix(min(limit ?? sorted.count, sorted.count)))
    }

    func key(_ e: Ranked) -> String { "\(e.score)/\(e.article)/\(e.origin)" }

    @Test func bothMatchAFullSortOnRandomInputsWithTies() {
        var rng = SplitMix64(seed: 2026)
        var cases = 0
        for n in [0, 1, 2, 3, 7, 50, 51, 99, 300] {
            for limit in [nil, 0, 1, 5, 49, 50, n, n + 3] as [Int?] {
                for _ in 0..<4 {
                    // Scores from a handful of values (ties everywhere), distinct articles in shuffled order.
                    var articles = (0..<Int32(n)).map { $0 * 3 + 1 }
                    articles.shuffle(using: &rng)
                    let entries = articles.map {
                        Ranked(score: Double(rng.next(below: 6)) / 4, article: $0, origin: Int32(rng.next(below: 1000)))
                    }
                    let expected = reference(entries, limit)

                    var sorted = entries
                    let k = topK(&sorted, limit)
                    #expect(k == expected.count)
                    #expect(
                        sorted.prefix(k).map(key) == expected.map(key), "topK n \(n) limit \(String(describing: limit))"
                    )

                    var selected = entries
                    let s = selected.withUnsafeMutableBufferPointer { selectTop($0, limit) }
                    #expect(s == expected.count)
                    #expect(
                        Set(selected.prefix(s).map(key)) == Set(expected.map(key)),
                        "selectTop n \(n) limit \(String(describing: limit))")
                    // Nothing lost or duplicated: the whole buffer is a permutation of the input.
                    #expect(selected.map(key).sorted() == entries.map(key).sorted())
                    cases += 1
                }
            }
        }
        #expect(cases == 9 * 8 * 4)
    }
}
