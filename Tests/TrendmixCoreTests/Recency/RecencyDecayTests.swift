import Testing
import TrendmixCore

@Suite struct RecencyDecayTests {
    let day: Int64 = 86_400_000

    @Test func halvesWeightAfterOneHalfLife() {
        let decay = RecencyDecay(halfLife: .days(2))
        #expect(decay.factor(at: 0, now: 2 * day) == 0.5)
        #expect(decay.factor(at: 0, now: 4 * day) == 0.25)
        #expect(decay.factor(at: 0, now: 0) == 1)
    }

    @Test func neverExceedsOneForFutureEvents() {
        #expect(RecencyDecay(halfLife: .days(1)).factor(at: 5 * day, now: 0) == 1)
    }

    @Test func affinityIsTheDecayedWeightedSum() {
        // r0: a view (1) now and a comment (4) one half-life ago on a0: 1 + 4 · 0.5 = 3.
        let s = makeSnapshot(articles: 1, readers: 1, [(0, 0, .view, 10 * day, -1), (0, 0, .comment, 9 * day, -1)])
        let affinity = ReaderAffinity(
            snapshot: s, weights: .default, decay: RecencyDecay(halfLife: .days(1)),
            now: Timestamp(milliseconds: 10 * day))
        #expect(affinity.articles == [0])
        #expect(affinity.weights == [3])
    }
}
