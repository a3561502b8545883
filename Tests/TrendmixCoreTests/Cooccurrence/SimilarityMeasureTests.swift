import Testing
import TrendmixCore

@Suite struct SimilarityMeasureTests {
    // A pair seen together in c = 3 baskets; i in 4, j in 6, n = 20 baskets in all.
    @Test func countIsTheCoOccurrence() {
        #expect(SimilarityMeasure.count.score(c: 3, ni: 4, nj: 6, n: 20) == 3)
    }

    @Test func jaccardIsIntersectionOverUnion() {
        // 3 / (4 + 6 - 3) = 3/7
        #expect(SimilarityMeasure.jaccard.score(c: 3, ni: 4, nj: 6, n: 20) == 3.0 / 7.0)
    }

    @Test func liftIsObservedOverExpected() {
        // 3 · 20 / (4 · 6) = 2.5
        #expect(SimilarityMeasure.lift.score(c: 3, ni: 4, nj: 6, n: 20) == 2.5)
    }

    @Test func cosineNormalisesByBothPopularities() {
        // 3 / sqrt(24)
        #expect(abs(SimilarityMeasure.cosine.score(c: 3, ni: 4, nj: 6, n: 20) - 3 / 24.0.squareRoot()) < 1e-15)
    }

    @Test func logLikelihoodMatchesDunningsFormula() {
        // 2x2 table: k11 = 3, k12 = 1, k21 = 3, k22 = 13 (n = 20).
        // G² = 2 Σ k ln(k n / (row · col)), computed by hand term by term.
        let k = [(3.0, 4.0, 6.0), (1.0, 4.0, 14.0), (3.0, 16.0, 6.0), (13.0, 16.0, 14.0)]
        let expected = 2 * k.reduce(0.0) { $0 + $1.0 * log($1.0 * 20 / ($1.1 * $1.2)) }
        let g2 = SimilarityMeasure.logLikelihood.score(c: 3, ni: 4, nj: 6, n: 20)
        #expect(abs(g2 - expected) < 1e-12)
        // 3 ln 2.5 + ln(20/56) + 3 ln 0.625 + 13 ln(260/224) = 2.2467; doubled:
        #expect(abs(expected - 4.4934) < 1e-3)
    }

    @Test func logLikelihoodKeepsOnlyPositiveAssociation() {
        // Expected co-occurrence 10 · 10 / 20 = 5; seeing 2 is a negative association.
        #expect(SimilarityMeasure.logLikelihood.score(c: 2, ni: 10, nj: 10, n: 20) == 0)
        #expect(SimilarityMeasure.logLikelihood.score(c: 8, ni: 10, nj: 10, n: 20) > 0)
    }

    @Test func logLikelihoodOfIndependenceIsZero() {
        #expect(SimilarityMeasure.logLikelihoodRatio(k11: 5, k12: 5, k21: 5, k22: 5) < 1e-12)
        // Mahout's reference values (LogLikelihoodTest): llr(1, 0, 0, 1) = 2.772588722239781.
        #expect(abs(SimilarityMeasure.logLikelihoodRatio(k11: 1, k12: 0, k21: 0, k22: 1) - 2.772588722239781) < 1e-12)
        #expect(abs(SimilarityMeasure.logLikelihoodRatio(k11: 10, k12: 0, k21: 0, k22: 10) - 27.72588722239781) < 1e-10)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
