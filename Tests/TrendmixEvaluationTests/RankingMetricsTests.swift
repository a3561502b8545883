import Foundation
import Testing
import TrendmixCore

@testable import TrendmixEvaluation

/// Every expected value below is worked out by hand in the comment beside it.
@Suite struct RankingMetricsTests {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test func oneHitInTheMiddle() {
        // ranked 1 2 3 4, relevant {2, 4}, k = 3: one hit at rank 2.
        let v = RankingMetrics.values(ranked: [1, 2, 3, 4], relevance: [2: 1, 4: 1], k: 3)
        #expect(v.hit == 1)
        #expect(close(v.precision, 1.0 / 3))
        #expect(close(v.recall, 0.5))
        // DCG = 1/log2(3); ideal (two relevant, k = 3) = 1 + 1/log2(3).
        #expect(close(v.ndcg, (1 / log2(3)) / (1 + 1 / log2(3))))
        // Precision at the hit = 1/2; MAP@k divides by min(2, 3) = 2, SAR's MAP by 2 relevant.
        #expect(close(v.averagePrecision, 0.25))
        #expect(close(v.sarAveragePrecision, 0.25))
        #expect(close(v.reciprocalRank, 0.5))
    }

    @Test func kLargerThanTheList() {
        // One item, relevant with grade 3; another relevant article (grade 1) was never ranked; k = 10.
        let v = RankingMetrics.values(ranked: [5], relevance: [5: 3, 6: 1], k: 10)
        #expect(v.hit == 1)
        #expect(close(v.precision, 0.1))  // divided by k, not by the list's length
        #expect(close(v.recall, 0.5))
        #expect(close(v.ndcg, 1 / (1 + 1 / log2(3))))
        #expect(close(v.gradedNDCG, 3 / (3 + 1 / log2(3))))
        #expect(close(v.averagePrecision, 0.5))  // 1 / min(2, 10)
        #expect(close(v.reciprocalRank, 1))
    }

    @Test func moreRelevantThanK() {
        // ranked 1 2, five relevant, k = 2: precision at both hits is 1.
        let relevance: [Int32: Double] = [1: 1, 2: 1, 3: 1, 4: 1, 5: 1]
        let v = RankingMetrics.values(ranked: [1, 2], relevance: relevance, k: 2)
        #expect(close(v.averagePrecision, 1))  // (1 + 1) / min(5, 2)
        #expect(close(v.sarAveragePrecision, 0.4))  // (1 + 1) / 5
        #expect(close(v.recall, 0.4))
        #expect(close(v.ndcg, 1))  // the ideal list is cut at k too
    }

    @Test func tiedGradesAndGradedGain() {
        // grades 1→2, 2→2, 3→1, ranked 3 1 2: DCG = 1 + 2/log2(3) + 2/2; ideal = 2 + 2/log2(3) + 1/2.
        let v = RankingMetrics.values(ranked: [3, 1, 2], relevance: [1: 2, 2: 2, 3: 1], k: 3)
        let third: Double = 2 / log2(3)
        let expected: Double = (1 + third + 1) / (2 + third + 0.5)
        #expect(close(v.gradedNDCG, expected))
        #expect(close(v.ndcg, 1))  // every ranked item is relevant
    }

    @Test func emptyRelevanceAndEmptyListsScoreZero() {
        let none = RankingMetrics.values(ranked: [1, 2, 3], relevance: [:], k: 3)
        #expect(none == RankingMetrics.values(ranked: [], relevance: [1: 1], k: 3))
        #expect(none.hit == 0 && none.ndcg == 0 && none.reciprocalRank == 0 && none.averagePrecision == 0)
        #expect(RankingMetrics.values(ranked: [1], relevance: [1: 1], k: 0).hit == 0)
    }

    @Test func duplicatesCountOnceAtTheirFirstPosition() {
        // ranked 7 7 8 with relevant {8}: the duplicate is skipped, 8 sits at rank 2.
        let v = RankingMetrics.values(ranked: [7, 7, 8], relevance: [8: 1], k: 2)
        #expect(close(v.reciprocalRank, 0.5))
        #expect(v.hit == 1)
    }

    @Test func coverageNoveltyPopularityAndDiversity() {
        let lists: [[Int32]] = [[0, 1], [1, 2], []]
        #expect(close(BeyondAccuracy.coverage(lists: lists, k: 2, catalogueSize: 6), 0.5))
        #expect(close(BeyondAccuracy.coverage(lists: lists, k: 1, catalogueSize: 6), 2.0 / 6))
        // interactions 0→4, 1→2, 2→2 of 8: −log2(1/2), −log2(1/4) twice... mean over the 4 shown items.
        let novelty = BeyondAccuracy.novelty(lists: lists, k: 2, interactions: [4, 2, 2], total: 8)
        #expect(close(novelty, (1 + 2 + 2 + 2) / 4))
        let popularity = BeyondAccuracy.popularityBias(lists: lists, k: 2, readersPerArticle: [3, 1, 0], readers: 4)
        #expect(close(popularity, (0.75 + 0.25 + 0.25 + 0) / 4))
        // Sites 0, 0, 1: list [0, 1] has one pair on the same site, [1, 2] one on different sites.
        let site: [Int32] = [0, 0, 1]
        #expect(close(BeyondAccuracy.intraListDiversity(lists: lists, k: 2) { site[Int($0)] } ?? -1, 0.5))
        // Untagged items (-1) are left out: [0, 1] has one labelled item only, so [1, 2] alone counts.
        let tag: [Int32] = [-1, 4, 5]
        #expect(close(BeyondAccuracy.intraListDiversity(lists: lists, k: 2) { tag[Int($0)] } ?? -1, 1))
        #expect(BeyondAccuracy.intraListDiversity(lists: lists, k: 2) { _ in -1 } == nil)
        // Cross-site: case 0 (site 0) shows sites 0, 0; case 1 (site 1) shows sites 0, 1: one of four is elsewhere.
        #expect(
            close(BeyondAccuracy.crossSiteShare(lists: lists, caseSites: [0, 1, nil], k: 2, site: site) ?? -1, 0.25))
    }
}

@Suite struct StatisticsTests {
    @Test func hitsByAgeCountRelevantArticlesByTheirAgeWhenAsked() {
        // Article 0 is published on day 0; 1 and 2 have no publish time, so their first training event counts
        // (day 9.5 and day 2); 3 has neither and is left out. Cases are asked on day 10 and on day 40.
        let day: Int64 = 86_400_000
        var articles = Snapshot.Articles()
        articles.append(site: 0, externalID: "a0", publishedAt: 0)
        for i in 1...3 { articles.append(site: 0, externalID: "a\(i)") }
        var events = Snapshot.Events()
        events.append(article: 1, reader: 0, type: .view, time: 19 * day / 2)
        events.append(article: 2, reader: 0, type: .view, time: 3 * day)
        events.append(article: 2, reader: 1, type: .view, time: 2 * day)
        let train = Snapshot(
            sites: [Site(slug: "s", name: "S", kind: "news", baseURL: "https://s.example")], articles: articles,
            tags: [], readers: ["r0", "r1"], events: events)
        let cases = [
            // Day 10: article 1 is half a day old, 2 eight days, 0 ten days; 3 has no age.
            EvaluationCase(reader: 0, relevance: [1: 1, 2: 1, 0: 1, 3: 1], now: Timestamp(milliseconds: 10 * day)),
            // Day 40: article 0 is forty days old, 1 thirty and a half.
            EvaluationCase(reader: 1, relevance: [0: 1, 1: 1], now: Timestamp(milliseconds: 40 * day)),
        ]
        let split = Split(
            name: "t", description: "t", train: train, cases: cases, now: cases[0].now,
            live: [true, true, true, true], removeSeen: false)
        // Lists [1, 3] and [0]: at k = 1, hits on article 1 (day 10) and on article 0 (day 40).
        let lists: [[Int32]] = [[1, 3], [0]]
        let system = EvaluatedSystem(name: "fixed", kind: .baseline, summary: "fixed lists") { i, _, _ in lists[i] }
        var options = Evaluation.Options()
        options.ks = [1]
        options.statisticsK = 1
        options.resamples = 0
        let result = Evaluation(split: split, systems: [system], options: options).run()
        // Groups: under 1 day {1@10}, 1–7 none, 7–30 {2@10, 0@10}, 30–90 {0@40, 1@40}, over 90 none.
        #expect(
            result.systems[0].byAge == [
                AgePoint(relevant: 1, hits: 1), AgePoint(relevant: 0, hits: 0), AgePoint(relevant: 2, hits: 0),
                AgePoint(relevant: 2, hits: 1), AgePoint(relevant: 0, hits: 0),
            ])
        // The report shows the groups that hold relevant articles, with their counts.
        let markdown = Report.markdown([result], title: "t", command: "c")
        #expect(markdown.contains("| system | under 1 day (1) | 7 to 30 days (2) | 30 to 90 days (2) |"))
        #expect(markdown.contains("| fixed | 1 (1.0000) | 0 (0.0000) | 1 (0.5000) |"))

        // One relevant article per case: each group also gets the mean nDCG of its cases. Article 1 at rank 2
        // on day 10 (nDCG 1 / log2 3), article 0 at rank 1 on day 40 (nDCG 1).
        let single = [
            EvaluationCase(reader: 0, relevance: [1: 1], now: cases[0].now),
            EvaluationCase(reader: 1, relevance: [0: 1], now: cases[1].now),
        ]
        let singleLists: [[Int32]] = [[3, 1], [0]]
        let ranked = EvaluatedSystem(name: "fixed", kind: .baseline, summary: "fixed") { i, _, _ in singleLists[i] }
        options.ks = [2]
        options.statisticsK = 2
        var oneEach = split
        oneEach.cases = single
        let points = Evaluation(split: oneEach, systems: [ranked], options: options).run().systems[0].byAge
        #expect(points[0].relevant == 1 && points[0].hits == 1 && abs((points[0].ndcg ?? -1) - 1 / log2(3)) < 1e-12)
        #expect(points[3] == AgePoint(relevant: 1, hits: 1, ndcg: 1))
        #expect(points[2] == AgePoint(relevant: 0, hits: 0))
    }

    @Test func intervalsBracketTheMeanAndAreReproducible() {
        let values = (0..<200).map { Double($0 % 7) / 6 }
        let s = Statistics(resamples: 500, seed: 7)
        let i = s.interval(values)
        #expect(i.low < i.mean && i.mean < i.high)
        #expect(s.interval(values) == i)
        #expect(Statistics(resamples: 500, seed: 8).interval(values) != i)
        let constant = s.interval([Double](repeating: 0.3, count: 50))
        #expect(abs(constant.low - 0.3) < 1e-12 && abs(constant.high - 0.3) < 1e-12)
    }

    @Test func pairedTestSeparatesRealFromNoDifference() {
        let base = (0..<300).map { Double($0 % 5) / 4 }
        let s = Statistics(resamples: 1000, seed: 1)
        let same = s.pairedTest(base, base)
        #expect(same.p == 1 && !same.significant)
        // Better on every case by 0.1: clearly significant.
        let better = s.pairedTest(base.map { $0 + 0.1 }, base)
        #expect(better.significant && better.p < 0.01 && abs(better.difference - 0.1) < 1e-12)
        // Noise around zero: +0.1 and −0.1 alternating is not a difference.
        let noise = s.pairedTest(base.enumerated().map { $0.element + ($0.offset % 2 == 0 ? 0.1 : -0.1) }, base)
        #expect(!noise.significant)
    }

    @Test func quantilesInterpolateLikeNumpy() {
        let s = Statistics()
        // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75
        #expect(abs(s.quantile([1, 2, 3, 4], 0.25) - 1.75) < 1e-12)
        #expect(s.quantile([5], 0.9) == 5)
    }
}
