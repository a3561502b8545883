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
        let heat = ReaderHeat(self, stages: stages, personal: personal, hot: hot, hotEvidence: hotEvidence)
        let pool = gatherEvidence(stages, heat: heat, hot: hot, hotEvidence: hotEvidence, work: &work)
        return rankBlend(pool: pool, personal: personal, limit: limit, work: &work)
    }

    /// How the reader's stage counts its evidence: with reader-specific hotness (ρ > 0), personal score · heat^ρ
    /// over the best such product among the candidates (heat: hotness over the site's hottest); else hot
    /// candidates' personal score over the best among the hot candidates.
    struct ReaderHeat {
        /// The best product (0: no product scale), and the scale of the hot candidates' evidence.
        let productScale: Double
        let hotScale: Double
        /// The reader's stage among the evidence stages, -1 when none counts hotness.
        let readerStage: Int

        init(
            _ model: RecommendationModel, stages: [[ScoredArticle]], personal: Bool, hot: [Int32],
            hotEvidence: [Double]
        ) {
            var productScale = 0.0
            if personal, model.readerHotness, let last = stages.last {
                for item in last {
                    productScale = max(productScale, item.score * Self.factor(model, item.article))
                }
                for (k, a) in hot.enumerated() {
                    productScale = max(productScale, hotEvidence[k] * Self.factor(model, a))
                }
            }
            self.productScale = productScale
            hotScale = productScale > 0 ? productScale : (hotEvidence.max() ?? 0)
            readerStage = personal && hotScale > 0 ? stages.count - 1 : -1
        }

        var product: Bool { productScale > 0 }

        /// heat(a)^ρ, ρ of the article's site.
        func factor(_ model: RecommendationModel, _ a: Int32) -> Double { Self.factor(model, a) }

        private static func factor(_ model: RecommendationModel, _ a: Int32) -> Double {
            let site = Int(model.articles.site[Int(a)])
            let heat = model.hottest[site] > 0 ? model.hotness[Int(a)] / model.hottest[site] : 0
            let rho = model.personalHotness[site]
            return rho == 1 ? heat : pow(heat, rho)
        }
    }

    /// Sums each candidate's evidence into the scratch's `score` row (the mean over the stages of score / the
    /// stage's best, the reader's stage as ``ReaderHeat`` says) and marks it in `blendFrom` (its stage item's
    /// position + 1 in the returned pool, or -1 when only hot); ``rankBlend(pool:personal:limit:work:)`` zeroes
    /// both. Dense scratch rows instead of dictionaries: a million article widgets each run this.
    private func gatherEvidence(
        _ stages: [[ScoredArticle]], heat: ReaderHeat, hot: [Int32], hotEvidence: [Double], work: inout Scratch
    ) -> [ScoredArticle] {
        let isHot = heat.readerStage >= 0 ? Set(hot) : []
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
                if index == heat.readerStage, isHot.contains(item.article) { continue }
                if index == heat.readerStage, heat.product {
                    work.score[a] +=
                        item.score * heat.factor(self, item.article) / heat.productScale
                        / Double(stages.count)
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
            if heat.readerStage >= 0 {
                work.score[Int(a)] +=
                    hotEvidence[k] * (heat.product ? heat.factor(self, a) : 1) / heat.hotScale / Double(stages.count)
            }
        }
        return pool
    }

    /// Ranks the gathered candidates by (1 − f) · evidence + f · hotness over the site's hottest, f the site's
    /// freshness weight times its activity, and explains the best `limit`; leaves the scratch all zeros.
    private func rankBlend(pool: [ScoredArticle], personal: Bool, limit: Int, work: inout Scratch) -> [ScoredArticle] {
        func weight(_ site: Int) -> Double {
            min(1, personal ? readerFreshness[site] : configuration.mix.relatedFreshness) * activity[site]
        }
        var scored = work.takeRanked()
        defer { work.giveBack(&scored) }
        for a in work.touched {
            let i = Int(a)
            let site = Int(articles.site[i])
            let recent = hottest[site] > 0 ? hotness[i] / hottest[site] : 0
            let g = weight(site)
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
                weight: weight(site))
            items.append(ScoredArticle(article: ranked.article, score: ranked.score, reason: reason))
        }
        for ranked in scored { work.blendEvidence[Int(ranked.article)] = 0 }
        return items
    }
}
