import Testing
import TrendmixCore
import TrendmixEvaluation

@Suite struct SARComparisonTests {
    /// Two readers; hand-computed SAR scores.
    ///
    /// r0 viewed a0 and a1; r1 viewed a1 and a2 (one day before the last event, half-life 1 day).
    /// Baskets: {a0, a1}, {a1, a2}. Occurrences: a0 1, a1 2, a2 1. Jaccard: J(a0,a1) = 1/(1+2-1) = 0.5,
    /// J(a1,a2) = 0.5, J(a0,a2) = 0. r0's affinities: a0 = 1 (decayed to 0.5 one day back), a1 = 1.
    /// score(r0, a2) = aff(a1)·J(a1,a2) = 1 · 0.5 = 0.5; a0 and a1 are seen. r1: aff(a1) = 1, aff(a2) = 0.5 ...
    @Test func matchesHandComputedSARScores() {
        var articles = Snapshot.Articles()
        for id in ["a0", "a1", "a2"] { articles.append(site: 0, externalID: id) }
        var events = Snapshot.Events()
        let day: Int64 = 86_400_000
        events.append(article: 0, reader: 0, type: .view, time: 9 * day)
        events.append(article: 1, reader: 0, type: .view, time: 10 * day)
        events.append(article: 1, reader: 1, type: .view, time: 10 * day)
        events.append(article: 2, reader: 1, type: .view, time: 9 * day)
        let snapshot = Snapshot(
            sites: [Site(slug: "s", name: "S", kind: "news", baseURL: "https://s.example")], articles: articles,
            tags: [], readers: ["r0", "r1"], events: events)
        let lists = SARComparison(weights: .uniform, halfLife: .days(1), k: 10).recommendations(for: snapshot)
        #expect(lists.count == 2)
        #expect(lists[0].items.map(\.article) == ["a2"])
        #expect(lists[0].items[0].score == 0.5)
        // r1: score(a0) = aff(a1)·J(a1,a0) + aff(a2)·J(a2,a0) = 1·0.5 + 0.5·0 = 0.5.
        #expect(lists[1].items.map(\.article) == ["a0"])
        #expect(lists[1].items[0].score == 0.5)
    }
}
