/// Ranking metrics of one ranked list against one case's relevance, over the full catalogue (no sampled
/// negatives: the list is whatever the system ranked first among every live article).
///
/// Conventions (the same as `recommenders.evaluation.python_evaluation`, which checks them,
/// `Evaluation/peers/check_metrics.py`):
/// - Only the first `k` entries of the list count; a shorter list is not padded (precision still divides by k).
/// - A case with no relevant article scores 0 on every accuracy metric (it cannot be hit); protocols drop such
///   cases before ranking, so this only matters for hand-made input.
/// - Duplicates in a list count once, at their first position.
/// - nDCG uses the gain `grade` (graded) or 1 (binary), discount 1 / log2(1 + rank); the ideal list is the
///   relevant articles by grade, cut at k.
public enum RankingMetrics {
    /// Every accuracy metric of one list at one k.
    public struct Values: Sendable, Hashable {
        public var hit: Double
        public var precision: Double
        public var recall: Double
        public var ndcg: Double
        public var gradedNDCG: Double
        /// MAP@k as Spark and recommenders' `map_at_k`: Σ precision at each hit / min(|relevant|, k).
        public var averagePrecision: Double
        /// SAR's MAP (recommenders' `map`): Σ precision at each hit / |relevant|.
        public var sarAveragePrecision: Double
        public var reciprocalRank: Double
    }

    /// The metrics of `ranked` (best first) against `relevance` (article → grade > 0) at `k`.
    public static func values(ranked: [Int32], relevance: [Int32: Double], k: Int) -> Values {
        var v = Values(
            hit: 0, precision: 0, recall: 0, ndcg: 0, gradedNDCG: 0, averagePrecision: 0, sarAveragePrecision: 0,
            reciprocalRank: 0)
        guard k > 0, !relevance.isEmpty else { return v }
        var hits = 0
        var dcg = 0.0
        var gradedDCG = 0.0
        var precisionSum = 0.0
        var firstHit: Int?
        var seen = Set<Int32>()
        var rank = 0
        for article in ranked where rank < k {
            guard seen.insert(article).inserted else { continue }
            rank += 1
            guard let grade = relevance[article], grade > 0 else { continue }
            hits += 1
            let discount = 1 / log2(Double(rank) + 1)
            dcg += discount
            gradedDCG += grade * discount
            precisionSum += Double(hits) / Double(rank)
            if firstHit == nil { firstHit = rank }
        }
        let relevant = relevance.values.filter { $0 > 0 }
        guard !relevant.isEmpty else { return v }
        let ideal = min(k, relevant.count)
        var idcg = 0.0
        var gradedIDCG = 0.0
        for (i, grade) in relevant.sorted(by: >).prefix(ideal).enumerated() {
            let discount = 1 / log2(Double(i + 2))
            idcg += discount
            gradedIDCG += grade * discount
        }
        v.hit = hits > 0 ? 1 : 0
        v.precision = Double(hits) / Double(k)
        v.recall = Double(hits) / Double(relevant.count)
        v.ndcg = dcg / idcg
        v.gradedNDCG = gradedIDCG > 0 ? gradedDCG / gradedIDCG : 0
        v.averagePrecision = precisionSum / Double(ideal)
        v.sarAveragePrecision = precisionSum / Double(relevant.count)
        v.reciprocalRank = firstHit.map { 1 / Double($0) } ?? 0
        return v
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
