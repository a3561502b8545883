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

/// The names and order of the accuracy metrics in reports and exports.
public enum AccuracyMetric: String, Sendable, CaseIterable, Codable {
    case hitRate = "HitRate"
    case precision = "Precision"
    case recall = "Recall"
    case ndcg = "nDCG"
    case gradedNDCG = "nDCG-graded"
    case map = "MAP"
    case sarMAP = "SAR-MAP"
    case mrr = "MRR"

    public func value(_ v: RankingMetrics.Values) -> Double {
        switch self {
        case .hitRate: v.hit
        case .precision: v.precision
        case .recall: v.recall
        case .ndcg: v.ndcg
        case .gradedNDCG: v.gradedNDCG
        case .map: v.averagePrecision
        case .sarMAP: v.sarAveragePrecision
        case .mrr: v.reciprocalRank
        }
    }
}

/// Metrics of a whole set of lists rather than of one: what a system shows across all cases.
public enum BeyondAccuracy {
    /// The share of live articles that appear in at least one top-k list.
    public static func coverage(lists: [[Int32]], k: Int, catalogueSize: Int) -> Double {
        guard catalogueSize > 0 else { return 0 }
        var shown = Set<Int32>()
        for list in lists { shown.formUnion(list.prefix(k)) }
        return Double(shown.count) / Double(catalogueSize)
    }

    /// The share of recommended items from a site other than the case's own (the seed's or host's site).
    /// Cases without a site are skipped; `nil` when none has one.
    public static func crossSiteShare(lists: [[Int32]], caseSites: [Int32?], k: Int, site: [Int32]) -> Double? {
        var other = 0
        var all = 0
        for (list, own) in zip(lists, caseSites) {
            guard let own else { continue }
            for a in list.prefix(k) {
                all += 1
                if site[Int(a)] != own { other += 1 }
            }
        }
        return all > 0 ? Double(other) / Double(all) : nil
    }

    /// Intra-list diversity: the mean, over lists with two or more labelled items, of the share of item pairs
    /// that differ in `label` (an article's site, or its first tag). Items labelled -1 (no tag) are left out;
    /// `nil` when no list has two labelled items (a catalogue without tags).
    public static func intraListDiversity(lists: [[Int32]], k: Int, label: (Int32) -> Int32) -> Double? {
        var sum = 0.0
        var counted = 0
        for list in lists {
            let labels = list.prefix(k).map(label).filter { $0 >= 0 }
            guard labels.count >= 2 else { continue }
            var differ = 0
            var pairs = 0
            for i in 0..<labels.count {
                for j in (i + 1)..<labels.count {
                    pairs += 1
                    if labels[i] != labels[j] { differ += 1 }
                }
            }
            sum += Double(differ) / Double(pairs)
            counted += 1
        }
        return counted > 0 ? sum / Double(counted) : nil
    }

    /// Novelty as in Castells et al. (ECIR 2011) and recommenders' `novelty`: the mean over recommended items
    /// of −log2(training interactions with the item / all training interactions). Items never seen in training
    /// are left out (their novelty is unbounded).
    public static func novelty(lists: [[Int32]], k: Int, interactions: [Int], total: Int) -> Double {
        guard total > 0 else { return 0 }
        var sum = 0.0
        var n = 0
        for list in lists {
            for a in list.prefix(k) where interactions[Int(a)] > 0 {
                sum += -log2(Double(interactions[Int(a)]) / Double(total))
                n += 1
            }
        }
        return n > 0 ? sum / Double(n) : 0
    }

    /// Popularity bias (average recommendation popularity, Abdollahpouri et al. 2019): the mean over
    /// recommended items of the share of training readers who read the item.
    public static func popularityBias(lists: [[Int32]], k: Int, readersPerArticle: [Int], readers: Int) -> Double {
        guard readers > 0 else { return 0 }
        var sum = 0.0
        var n = 0
        for list in lists {
            for a in list.prefix(k) {
                sum += Double(readersPerArticle[Int(a)]) / Double(readers)
                n += 1
            }
        }
        return n > 0 ? sum / Double(n) : 0
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
