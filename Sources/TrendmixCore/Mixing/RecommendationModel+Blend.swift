#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RecommendationModel {
    /// The freshness blend (``MixConfiguration/freshness``, ``MixConfiguration/relatedFreshness``): the evidence
    /// stages' candidates plus the `hot` ones, ranked by (1 − f) · evidence + f · hotness (over its site's
    /// hottest). Evidence is the mean over the stages of score / the stage's best, 0 where a stage did not
    /// offer the article. The reader's stage (the last with `personal`; `hotEvidence` holds its scores of the
    /// `hot` candidates, aligned) counts reader-specific hotness instead (``MixConfiguration/personalHotness``):
    /// personal score · (hotness over the site's hottest)^ρ over the best such product; with ρ = 0, a hot
    /// candidate's personal score is over the best among the hot candidates: among what is hot, what this reader
    /// would pick. Over the stage's best, a reader's long-standing favourites left every article shared
    /// yesterday near 0 (DeskDrop's rolling protocol, Evaluation/README.md). Items keep their stage's reason;
    /// those only hotness brought are explained as trending.
    func blend(
        _ stages: [[ScoredArticle]], personal: Bool, hot: [Int32], hotEvidence: [Double], limit: Int,
        work: inout Scratch
    ) -> [ScoredArticle] {
        // Dense scratch rows instead of dictionaries (a million article widgets each run this): `score` sums the
        // evidence, `blendFrom` marks a candidate (its stage item's position + 1, or -1 when only hot); both are
        // zero again on return.
        // The reader stage's evidence: with reader-specific hotness (ρ > 0), personal score · heat^ρ over the best
        // such product among the candidates; else hot candidates' over the best among the hot candidates.
        let rho = configuration.mix.personalHotness
        func heat(_ a: Int32) -> Double {
            let site = Int(articles.site[Int(a)])
            return hottest[site] > 0 ? hotness[Int(a)] / hottest[site] : 0
        }
        func factor(_ a: Int32) -> Double { rho == 1 ? heat(a) : pow(heat(a), rho) }
        var productScale = 0.0
        if personal, rho > 0, let last = stages.last {
            for item in last { productScale = max(productScale, item.score * factor(item.article)) }
            for (k, a) in hot.enumerated() { productScale = max(productScale, hotEvidence[k] * factor(a)) }
        }
        let product = productScale > 0
        let hotScale = product ? productScale : (hotEvidence.max() ?? 0)
        let readerStage = personal && hotScale > 0 ? stages.count - 1 : -1
        let isHot = readerStage >= 0 ? Set(hot) : []
        var pool: [ScoredArticle] = []
        pool.reserveCapacity(stages.reduce(0) { $0 + $1.count })
        for (index, stage) in stages.enumerated() {
            guard let best = stage.first?.score, best > 0 else { continue }
            for item in stage {
                let a = Int(item.article)
                if work.blendFrom[a] == 0 {
                    pool.append(item)
                    work.blendFrom[a] = Int32(pool.count)
                    work.touched.append(item.article)
                }
                // A hot candidate's personal evidence is added with the hot candidates (below), from `hotEvidence`.
                if index == readerStage, isHot.contains(item.article) { continue }
                if index == readerStage, product {
                    work.score[a] += item.score * factor(item.article) / productScale / Double(stages.count)
                } else {
                    work.score[a] += item.score / best / Double(stages.count)
                }
            }
        }
        for (k, a) in hot.enumerated() {
            if work.blendFrom[Int(a)] == 0 {
                work.blendFrom[Int(a)] = -1
                work.touched.append(a)
            }
            if readerStage >= 0 {
                work.score[Int(a)] += hotEvidence[k] * (product ? factor(a) : 1) / hotScale / Double(stages.count)
            }
        }
        var scored = work.takeRanked()
        defer { work.giveBack(&scored) }
        for a in work.touched {
            let i = Int(a)
            let site = Int(articles.site[i])
            let recent = hottest[site] > 0 ? hotness[i] / hottest[site] : 0
            let g = min(1, personal ? readerFreshness[site] : configuration.mix.relatedFreshness) * activity[site]
            scored.append(Ranked(score: (1 - g) * work.score[i] + g * recent, article: a, origin: work.blendFrom[i]))
            work.blendEvidence[i] = work.score[i]
            work.score[i] = 0
            work.blendFrom[i] = 0
        }
        work.touched.removeAll(keepingCapacity: true)
        let keep = topK(&scored, limit)
        var items: [ScoredArticle] = []
        items.reserveCapacity(keep)
        for ranked in scored.prefix(keep) where ranked.score > 0 {
            let i = Int(ranked.article)
            let site = Int(articles.site[i])
            var reason =
                ranked.origin > 0
                ? pool[Int(ranked.origin) - 1].reason
                : Explanation(
                    source: .trending, growth: trending.score[i], recentRate: trending.recentRate[i],
                    baselineRate: trending.baselineRate[i])
            reason.blend = Explanation.Blend(
                evidence: work.blendEvidence[i], hotness: hottest[site] > 0 ? hotness[i] / hottest[site] : 0,
                weight: min(1, personal ? readerFreshness[site] : configuration.mix.relatedFreshness) * activity[site])
            items.append(ScoredArticle(article: ranked.article, score: ranked.score, reason: reason))
        }
        for ranked in scored { work.blendEvidence[Int(ranked.article)] = 0 }
        return items
    }
}
