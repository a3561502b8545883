extension RecommendationModel {
    /// The reader's personal scores, with the read article that contributed most as the reason's seed; and the
    /// scores of the articles `also` names (0 for those with none), in its order.
    func personal(
        reader u: Int, limit: Int, also: [Int32] = [], work: inout Scratch, eligible: Eligibility
    ) -> ([ScoredArticle], [Double]) {
        do {
            for k in strongestOffsets[u]..<strongestOffsets[u + 1] {
                let m = Int(strongest[k])
                let i = affinity.articles[m]
                let w = affinity.weights[m]
                for n in neighbours.row(Int(i)) {
                    let j = neighbours.neighbours[n]
                    guard eligible.article(j) else { continue }
                    let contribution = w * neighbours.similarity[n]
                    if work.score[Int(j)] == 0 { work.touched.append(j) }
                    work.score[Int(j)] += contribution
                    if contribution > work.bestContribution[Int(j)] {
                        work.bestContribution[Int(j)] = contribution
                        work.bestFrom[Int(j)] = i
                    }
                }
            }
            var alsoScores = also.map { work.score[Int($0)] }
            // Rows keep each article's best `neighbours`, so an article shared yesterday is missing from the rows
            // of the reader's older articles, while its own row holds them. For a symmetric measure both rows
            // give Σ affinity · similarity over the pairs they kept; an `also` article scores the larger.
            if !also.isEmpty, configuration.cooccurrence.crossOccurrence == nil {
                let history = strongestOffsets[u]..<strongestOffsets[u + 1]
                for k in history {
                    let m = Int(strongest[k])
                    work.affinity[Int(affinity.articles[m])] = affinity.weights[m]
                }
                for (k, j) in also.enumerated() {
                    var sum = 0.0
                    for n in neighbours.row(Int(j)) {
                        let w = work.affinity[Int(neighbours.neighbours[n])]
                        if w > 0 { sum += w * neighbours.similarity[n] }
                    }
                    alsoScores[k] = max(alsoScores[k], sum)
                }
                for k in history { work.affinity[Int(affinity.articles[Int(strongest[k])])] = 0 }
            }
            var from: [Int32: Int32] = [:]
            for j in work.touched {
                from[j] = work.bestFrom[Int(j)]
                work.bestContribution[Int(j)] = 0
                work.bestFrom[Int(j)] = 0
            }
            let items = drain(&work, limit: limit) { j in
                Explanation(source: .personalized, seed: from[j], similarity: nil)
            }
            return (items, alsoScores)
        }
    }

    /// The best `limit` of the touched scores as items (reasons from `reason`), leaving the scratch all zeros.
    func drain(_ work: inout Scratch, limit: Int, reason: (Int32) -> Explanation?) -> [ScoredArticle] {
        var scored = work.takeRanked()
        defer { work.giveBack(&scored) }
        for j in work.touched {
            let s = work.score[Int(j)]
            work.score[Int(j)] = 0
            if s > 0 { scored.append(Ranked(score: s, article: j)) }
        }
        work.touched.removeAll(keepingCapacity: true)
        let keep = topK(&scored, limit)
        var items: [ScoredArticle] = []
        items.reserveCapacity(keep)
        for ranked in scored.prefix(keep) {
            guard var r = reason(ranked.article) else { continue }
            if r.source == .personalized { r.similarity = ranked.score }
            items.append(ScoredArticle(article: ranked.article, score: ranked.score, reason: r))
        }
        return items
    }
}
