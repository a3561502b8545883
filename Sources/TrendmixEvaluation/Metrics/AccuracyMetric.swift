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
