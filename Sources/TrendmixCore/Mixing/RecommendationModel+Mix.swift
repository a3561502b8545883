#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RecommendationModel: Recommender {
    /// Fills a box: candidates from the stages below (each after the ones before it, never twice), then
    /// per-site quotas and tag diversity.
    ///
    /// 1. With a seed: related articles, α·(co-occurrence similarity / the row's best) + (1 − α)·tag
    ///    similarity with α = n / (n + κ), n the seed's basket count (``MixConfiguration``).
    /// 2. With a reader: their personal scores, Σ affinity · similarity over their strongest affinities (as SAR,
    ///    over at most `maxHistory` of them).
    /// 3. Trending on each eligible site, merged by score: only articles with engagement in the trending window
    ///    (``MixConfiguration/trendingWindowHalfLives``).
    /// 4. The newest articles of each eligible site.
    ///
    /// Selection: with m sites among the candidates, no site gets more than ⌈k/m⌉ items unless the others run
    /// dry; within that, an item whose first tag is already in the box waits until the items that add a new
    /// tag are taken. Eligible: not the seed, not on the host site (unless allowed), not excluded, not read by
    /// the reader, inside the filters, published no later than `now` and not older than the freshness cutoff.
    /// When the other sites fill fewer than k places, the same stages fill the rest from the host site
    /// (``MixConfiguration/fillFromHostSite``). Ties break by article index, so equal inputs give equal boxes.
    ///
    /// Scores: the box is ordered by stage, then by the stage's own score, and each item's `score` is that order
    /// as one number in [0, 1], non-increasing down the box: with m stages in the box, an item of the j-th
    /// (j = 0, 1, …) scores (m − 1 − j + s / s₁) / m, s its stage score and s₁ the best of its stage in the box.
    /// The stage's own measure (similarity, growth, …) is in the item's ``Explanation``.
    /// - Complexity: O(neighbours + tag postings of the seed + reader history + sites · k) per request.
    public func recommend(_ r: RecommendationRequest) -> [ScoredArticle] {
        let mix = configuration.mix
        let k = max(0, r.k)
        guard k > 0 else { return [] }
        let now = r.now.milliseconds
        let oldest = mix.maxAge.map { now - Int64($0.inMilliseconds) }
        let history = r.reader.flatMap { Int($0) < affinity.readerCount ? affinity.row(Int($0)) : nil } ?? 0..<0
        var stages: [Int] = []
        stages.reserveCapacity(k)
        var box = scratch.with { work in
            for m in history { work.seen[Int(affinity.articles[m])] = true }
            defer { for m in history { work.seen[Int(affinity.articles[m])] = false } }
            var box = fill(
                r, k: k, now: now, oldest: oldest, allowHost: mix.includeHostSite, stages: &stages, work: &work)
            if box.count < k, mix.fillFromHostSite, !mix.includeHostSite, let host = r.host,
                r.sites?.contains(host) ?? true
            {
                var own = r
                own.sites = [host]
                own.exclude.formUnion(box.map(\.article))
                let offset = (stages.last ?? -1) + 1
                var ownStages: [Int] = []
                for var item in fill(
                    own, k: k - box.count, now: now, oldest: oldest, allowHost: true, stages: &ownStages, work: &work)
                {
                    item.reason.fromHostSite = true
                    box.append(item)
                }
                stages += ownStages.map { $0 + offset }
            }
            return box
        }
        Self.rankScores(&box, stages: stages)
        return box
    }

    /// Replaces the box's scores by its order as one non-increasing number (``recommend(_:)``); `stages` holds
    /// each item's stage, non-decreasing.
    static func rankScores(_ box: inout [ScoredArticle], stages: [Int]) {
        guard let first = stages.first else { return }
        var count = 1
        for i in stages.indices.dropFirst() where stages[i] != stages[i - 1] { count += 1 }
        let m = Double(count)
        var j = -1
        var best = 0.0
        var last = first - 1
        for i in box.indices {
            if stages[i] != last {
                j += 1
                last = stages[i]
                best = box[i].score
            }
            let s = box[i].score
            let share = best > 0 && s.isFinite ? min(1, max(0, s / best)) : (best > 0 ? 0 : 1)
            box[i].score = (m - 1 - Double(j) + share) / m
        }
    }

    /// The tags an item of a box shares with its seed, in the seed's tag order; empty unless tag similarity
    /// is part of its reason, and for an item or seed that is not an article of this model. Named when an
    /// item is shown, not stored in every candidate's ``Explanation``: without an array in it a candidate is a
    /// plain value, copied without reference counting.
    public func sharedTags(of item: ScoredArticle) -> [Int32] {
        guard item.reason.tagSimilarity != nil, let seed = item.reason.seed,
            articles.site.indices.contains(Int(seed)), articles.site.indices.contains(Int(item.article))
        else { return [] }
        return tagSimilarity.shared(Int(seed), Int(item.article))
    }

    /// One pass of the stages over the sites the request allows (the host's own only with `allowHost`): the box's
    /// items in order; `stages` gets the index of the stage that offered each.
    private func fill(
        _ r: RecommendationRequest, k: Int, now: Int64, oldest: Int64?, allowHost: Bool, stages: inout [Int],
        work: inout Scratch
    )
        -> [ScoredArticle]
    {
        let mix = configuration.mix
        let seen = work.seen
        func eligible(_ j: Int32) -> Bool {
            let a = Int(j)
            let site = articles.site[a]
            if j == r.seed || seen[a] || (!r.exclude.isEmpty && r.exclude.contains(j)) { return false }
            if !allowHost, site == r.host { return false }
            if let sites = r.sites, !sites.contains(site) { return false }
            if let wanted = r.tags, !articles.tags(of: a).contains(where: wanted.contains) { return false }
            if let published = articles.publishedAt[a] {
                if published > now { return false }
                if let oldest, published < oldest { return false }
                if let after = r.publishedAfter, published < after { return false }
                if let before = r.publishedBefore, published >= before { return false }
            } else if r.publishedAfter != nil || r.publishedBefore != nil {
                return false
            }
            return true
        }

        // Whole sites the request rules out are skipped, not walked article by article: the host site alone
        // is a quarter of a four-site catalogue.
        func siteAllowed(_ site: Int32) -> Bool {
            if !allowHost, site == r.host { return false }
            if let sites = r.sites, !sites.contains(site) { return false }
            return true
        }

        // Candidates once each, marked in a scratch row (cleared before returning). Arrays of items are sized
        // up front here and below: growing them one append at a time was a tenth of a widget's instructions.
        var candidates: [ScoredArticle] = []
        candidates.reserveCapacity(2 * max(mix.candidatesPerStage, k) + 3 * k * sites.count)
        // Where each offered stage's candidates end: the stage of a candidate, for the box's scores.
        var stageEnds: [Int] = []
        func offer(_ stage: [ScoredArticle]) {
            for item in stage where !work.offered[Int(item.article)] {
                work.offered[Int(item.article)] = true
                candidates.append(item)
            }
            if stageEnds.last != candidates.count { stageEnds.append(candidates.count) }
        }
        defer { for item in candidates { work.offered[Int(item.article)] = false } }
        let perStage = max(mix.candidatesPerStage, k)
        let personal = r.reader != nil
        let blends = personal ? readerFreshness.contains(where: { $0 > 0 }) : mix.relatedFreshness > 0
        // The freshness blend's hot candidates, first: the personal stage scores them too.
        let hot = blends ? hotCandidates(limit: perStage, siteAllowed: siteAllowed, eligible: eligible) : []
        var evidence: [[ScoredArticle]] = []
        var hotEvidence: [Double] = []
        if let seed = r.seed, Int(seed) < articles.count {
            evidence.append(related(to: seed, limit: perStage, work: &work, eligible: eligible))
        }
        if let u = r.reader, Int(u) < affinity.readerCount {
            let (items, scores) = self.personal(
                reader: Int(u), limit: perStage, also: hot, work: &work, eligible: eligible)
            evidence.append(items)
            hotEvidence = scores
        }
        if blends, !evidence.isEmpty {
            offer(blend(evidence, personal: personal, hot: hot, hotEvidence: hotEvidence, limit: perStage, work: &work))
        } else {
            for stage in evidence { offer(stage) }
        }
        // Twice the box per site, so tag diversity and quotas have alternatives before falling back to newest.
        // Only what had engagement in the trending window: a site gone quiet has nothing trending.
        // (``trendingOrder`` holds only those.)
        offer(
            perSite(trendingOrder, limit: 2 * k, siteAllowed: siteAllowed, eligible: eligible) { a in
                ScoredArticle(
                    article: a, score: trending.score[Int(a)],
                    reason: Explanation(
                        source: .trending, growth: trending.score[Int(a)], recentRate: trending.recentRate[Int(a)],
                        baselineRate: trending.baselineRate[Int(a)]))
            })
        if candidates.count < k * 2 {
            offer(
                perSite(newestOrder, limit: k, siteAllowed: siteAllowed, eligible: eligible) { a in
                    // 1 / (1 + age in days): newer first, on a scale that does not dwarf the stages before it.
                    ScoredArticle(
                        article: a,
                        score: 1 / (1 + max(0, Double(now - (articles.publishedAt[Int(a)] ?? 0)) / 86_400_000)),
                        reason: Explanation(source: .newest))
                })
        }
        let chosen = select(candidates, k: k, diversity: mix.tagDiversity)
        var stage = 0
        for i in chosen {
            while stage < stageEnds.count, i >= stageEnds[stage] { stage += 1 }
            stages.append(stage)
        }
        return chosen.map { candidates[$0] }
    }

    /// Each eligible site's `limit` hottest articles (``hotness``; none with a hotness of 0), in site order.
    private func hotCandidates(limit: Int, siteAllowed: (Int32) -> Bool, eligible: (Int32) -> Bool) -> [Int32] {
        var out: [Int32] = []
        for (site, order) in hotOrder.enumerated() where siteAllowed(Int32(site)) && hottest[site] > 0 {
            var taken = 0
            for a in order where eligible(a) {
                if hotness[Int(a)] <= 0 { break }
                out.append(a)
                taken += 1
                if taken == limit { break }
            }
        }
        return out
    }

    /// The first `limit` eligible articles of each site's order, merged best first (ties by index).
    private func perSite(
        _ orders: [[Int32]], limit: Int, siteAllowed: (Int32) -> Bool, eligible: (Int32) -> Bool,
        make: (Int32) -> ScoredArticle
    ) -> [ScoredArticle] {
        var items: [ScoredArticle] = []
        items.reserveCapacity(limit * orders.count)
        for (site, order) in orders.enumerated() where siteAllowed(Int32(site)) {
            var taken = 0
            for a in order where eligible(a) {
                items.append(make(a))
                taken += 1
                if taken == limit { break }
            }
        }
        // Sort (score, article, position) triples and gather: moving whole items (an explanation each) through
        // the sort was a tenth of an HTTP recommendation's time.
        var keys = items.enumerated().map { ($0.element.score, $0.element.article, Int32($0.offset)) }
        let count = topK(&keys, nil)
        return keys.prefix(count).map { items[Int($0.2)] }
    }

    /// Quotas and tag diversity over the ordered candidates: the positions of the chosen ones, in order.
    func select(_ candidates: [ScoredArticle], k: Int, diversity: Bool) -> [Int] {
        // Arrays by site and by candidate position instead of sets and dictionaries: this runs for every box.
        var perSite = [Int](repeating: 0, count: sites.count)
        var siteCount = 0
        for item in candidates {
            let site = Int(articles.site[Int(item.article)])
            if perSite[site] == 0 {
                perSite[site] = 1
                siteCount += 1
            }
        }
        guard siteCount > 0 else { return [] }
        for i in perSite.indices { perSite[i] = 0 }
        let quota = configuration.mix.siteQuotas ? (k + siteCount - 1) / siteCount : k
        var usedTags: [Int32] = []
        var taken = [Bool](repeating: false, count: candidates.count)
        var box: [Int] = []
        // Pass 1: within quota, adding a new tag; pass 2: within quota; pass 3: anything (others ran dry).
        for pass in 1...3 {
            for (i, item) in candidates.enumerated() where box.count < k && !taken[i] {
                let a = Int(item.article)
                let site = Int(articles.site[a])
                if pass < 3, perSite[site] >= quota { continue }
                let tag = articles.tags(of: a).first
                if pass == 1, diversity, let tag, usedTags.contains(tag) { continue }
                box.append(i)
                taken[i] = true
                perSite[site] += 1
                if let tag { usedTags.append(tag) }
            }
        }
        // The box keeps the candidates' order (stage, then score), not the order of the passes.
        return box.sorted()
    }
}
