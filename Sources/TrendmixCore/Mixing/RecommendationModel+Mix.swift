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
    public func recommend(_ r: RecommendationRequest) -> [ScoredArticle] { recommend(r, memo: nil) }

    /// ``recommend(_:)``, with the personal stage's answers shared through `memo` by models that differ only in
    /// their tuning (see ``PersonalMemo``); the box is the same as without it.
    package func recommend(_ r: RecommendationRequest, memo: PersonalMemo?) -> [ScoredArticle] {
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
                r, k: k, now: now, oldest: oldest, allowHost: mix.includeHostSite, stages: &stages, work: &work,
                memo: memo)
            if box.count < k, mix.fillFromHostSite, !mix.includeHostSite, let host = r.host,
                r.sites?.contains(host) ?? true
            {
                var own = r
                own.sites = [host]
                own.exclude.formUnion(box.map(\.article))
                let offset = (stages.last ?? -1) + 1
                var ownStages: [Int] = []
                for var item in fill(
                    own, k: k - box.count, now: now, oldest: oldest, allowHost: true, stages: &ownStages,
                    work: &work, memo: memo)
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
        work: inout Scratch, memo: PersonalMemo?
    ) -> [ScoredArticle] {
        let allowed = Eligibility(
            request: r, allowHost: allowHost, now: now, oldest: oldest,
            visible: max(now, r.visibleAt?.milliseconds ?? now), seen: work.seen, articles: articles)
        // Arrays of items are sized up front: growing them one append at a time was a tenth of a widget's
        // instructions.
        var candidates = Candidates(capacity: 2 * max(configuration.mix.candidatesPerStage, k) + 3 * k * sites.count)
        defer { candidates.clear(&work) }
        offerEvidence(
            r, limit: max(configuration.mix.candidatesPerStage, k), allowed, &work, to: &candidates, memo: memo)
        // Twice the box per site, so tag diversity and quotas have alternatives before falling back to newest.
        candidates.offer(trendingStage(limit: 2 * k, allowed), &work)
        if candidates.items.count < k * 2 { candidates.offer(newestStage(limit: k, now: now, allowed), &work) }
        let diversity = r.reader != nil ? readerDiversity : (r.seed != nil ? seedDiversity : trendingDiversity)
        let chosen = select(
            candidates.items, k: k, diversity: diversity,
            byEngagement: r.reader != nil && configuration.mix.readerQuotasByEngagement)
        stages += candidates.stages(of: chosen)
        return chosen.map { candidates.items[$0] }
    }

    /// Stages 1 and 2, the evidence about this request: articles related to the seed and the reader's personal
    /// scores, each offered as a stage of its own, or blended with what is hot on each site into one stage where
    /// the freshness blend applies (``blend(_:personal:hot:hotEvidence:limit:work:)``).
    private func offerEvidence(
        _ r: RecommendationRequest, limit: Int, _ allowed: Eligibility, _ work: inout Scratch,
        to candidates: inout Candidates, memo: PersonalMemo?
    ) {
        let personal = r.reader != nil
        let blends = personal ? readerFreshness.contains(where: { $0 > 0 }) : configuration.mix.relatedFreshness > 0
        // The freshness blend's hot candidates, first: the personal stage scores them too.
        let hot = blends ? hotCandidates(limit: limit, allowed) : []
        var evidence: [[ScoredArticle]] = []
        var hotEvidence: [Double] = []
        if let seed = r.seed, Int(seed) < articles.count {
            evidence.append(related(to: seed, visit: r.visit, limit: limit, work: &work, eligible: allowed))
        }
        if let u = r.reader, Int(u) < affinity.readerCount {
            let (items, scores): ([ScoredArticle], [Double])
            if let memo {
                let key = PersonalMemo.Key(
                    reader: Int(u), limit: limit, sites: r.sites, host: allowed.allowHost ? nil : r.host,
                    exclude: r.exclude.sorted(), also: hot)
                (items, scores) = memo.answer(key) {
                    self.personal(reader: Int(u), limit: limit, also: hot, work: &work, eligible: allowed)
                }
            } else {
                (items, scores) = self.personal(reader: Int(u), limit: limit, also: hot, work: &work, eligible: allowed)
            }
            evidence.append(items)
            hotEvidence = scores
        }
        if blends, !evidence.isEmpty {
            let blended = blend(
                evidence, personal: personal, hot: hot, hotEvidence: hotEvidence, limit: limit, work: &work)
            candidates.offer(blended, &work)
        } else {
            for stage in evidence { candidates.offer(stage, &work) }
        }
    }

    /// Stage 3: each allowed site's `limit` best trending articles, merged by trending score. Only what had
    /// engagement in the trending window (``trendingOrder`` holds only those): a site gone quiet has nothing
    /// trending.
    private func trendingStage(limit: Int, _ allowed: Eligibility) -> [ScoredArticle] {
        perSite(trendingOrder, limit: limit, allowed) { a in
            ScoredArticle(
                article: a, score: trending.score[Int(a)],
                reason: Explanation(
                    source: .trending, growth: trending.score[Int(a)], recentRate: trending.recentRate[Int(a)],
                    baselineRate: trending.baselineRate[Int(a)]))
        }
    }

    /// Stage 4: each allowed site's `limit` newest articles, scored 1 / (1 + age in days): newer first, on a scale
    /// that does not dwarf the stages before it.
    private func newestStage(limit: Int, now: Int64, _ allowed: Eligibility) -> [ScoredArticle] {
        perSite(newestOrder, limit: limit, allowed) { a in
            let days = Double(now - (articles.publishedAt[Int(a)] ?? 0)) / Double(Timestamp.millisecondsPerDay)
            return ScoredArticle(
                article: a, score: RecencyDecay.newness(ageDays: days), reason: Explanation(source: .newest))
        }
    }

    /// Each eligible site's `limit` hottest articles (``hotness``; none with a hotness of 0), in site order.
    private func hotCandidates(limit: Int, _ allowed: Eligibility) -> [Int32] {
        var out: [Int32] = []
        for (site, order) in hotOrder.enumerated() where allowed.site(Int32(site)) && hottest[site] > 0 {
            var taken = 0
            for a in order where allowed.article(a) {
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
        _ orders: [[Int32]], limit: Int, _ allowed: Eligibility, make: (Int32) -> ScoredArticle
    ) -> [ScoredArticle] {
        var items: [ScoredArticle] = []
        items.reserveCapacity(limit * orders.count)
        for (site, order) in orders.enumerated() where allowed.site(Int32(site)) {
            var taken = 0
            for a in order where allowed.article(a) {
                items.append(make(a))
                taken += 1
                if taken == limit { break }
            }
        }
        // Sort (score, article, position) and gather: moving whole items (an explanation each) through
        // the sort was a tenth of an HTTP recommendation's time.
        var keys = items.enumerated().map {
            Ranked(score: $0.element.score, article: $0.element.article, origin: Int32($0.offset))
        }
        let count = topK(&keys, nil)
        return keys.prefix(count).map { items[Int($0.origin)] }
    }

    /// Quotas and tag diversity over the ordered candidates: the positions of the chosen ones, in order.
    /// - Parameters:
    ///   - diversity: per site, whether its items prefer a new first tag.
    ///   - byEngagement: quotas by each site's share of engagement now, not even
    ///     (``MixConfiguration/readerQuotasByEngagement``).
    func select(_ candidates: [ScoredArticle], k: Int, diversity: [Bool], byEngagement: Bool = false) -> [Int] {
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
        // Quotas of the sites among the candidates (no other site is asked for one). Engagement can be negative
        // (ratings weigh their value) or vanishingly small: it counts from 0, and a share is at most 1.
        var quota = [Int](repeating: k, count: sites.count)
        if configuration.mix.siteQuotas {
            let even = (k + siteCount - 1) / siteCount
            var total = 0.0
            if byEngagement {
                for s in perSite.indices where perSite[s] > 0 { total += max(0, siteEngagement[s]) }
            }
            for s in perSite.indices where perSite[s] > 0 {
                guard byEngagement, total > 0, total.isFinite else {
                    quota[s] = even
                    continue
                }
                let share = min(1, max(0, siteEngagement[s]) / total)
                quota[s] = max(1, Int((Double(k) * share).rounded(.up)))
            }
        }
        for s in perSite.indices { perSite[s] = 0 }
        var usedTags: [Int32] = []
        var taken = [Bool](repeating: false, count: candidates.count)
        var box: [Int] = []
        // Pass 1: within quota, adding a new tag; pass 2: within quota; pass 3: anything (others ran dry).
        for pass in 1...3 {
            for (i, item) in candidates.enumerated() where box.count < k && !taken[i] {
                let a = Int(item.article)
                let site = Int(articles.site[a])
                if pass < 3, perSite[site] >= quota[site] { continue }
                let tag = articles.tags(of: a).first
                if pass == 1, diversity[site], let tag, usedTags.contains(tag) { continue }
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
