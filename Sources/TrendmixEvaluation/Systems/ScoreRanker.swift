import Foundation
public import TrendmixCore

/// Ranks every eligible live article by a fixed score per article (ties by article index, the documented
/// tie-break of every built-in system); the baselines are all of this form.
public struct ScoreRanker: Recommender {
    public let scores: [Double]
    let live: [Bool]
    let site: [Int32]
    /// Per reader, the articles read in training (left out when the split removes seen articles).
    let seen: [Int32: Set<Int32>]

    public init(scores: [Double], split: Split) {
        self.scores = scores
        live = split.live
        site = split.train.articles.site
        seen = split.removeSeen ? EvaluationProtocol.readerArticles(split.train) : [:]
    }

    public func recommend(_ r: RecommendationRequest) -> [ScoredArticle] {
        let read = r.reader.flatMap { seen[$0] } ?? []
        var scored: [Ranked] = []
        scored.reserveCapacity(scores.count)
        for a in 0..<scores.count where live[a] {
            let j = Int32(a)
            if j == r.seed || read.contains(j) || r.exclude.contains(j) { continue }
            if let sites = r.sites, !sites.contains(site[a]) { continue }
            scored.append(Ranked(score: scores[a], article: j))
        }
        let keep = topK(&scored, r.k)
        return scored.prefix(keep).map {
            ScoredArticle(article: $0.article, score: $0.score, reason: Explanation(source: .trending))
        }
    }
}
