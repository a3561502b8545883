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
    private func blend(
        _ stages: [[ScoredArticle]], personal: Bool, hot: [Int32], hotEvidence: [Double], limit: Int,
        work: inout Scratch
    ) -> [ScoredArticle] {
        // Dense scratch rows instead of dictionaries (a million article widgets each run this): `score` sums the
        // evidence, `best` marks a candidate (its stage item's position + 1, or -1 when only hot); both are
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
                if work.best[a] == 0 {
                    pool.append(item)
                    work.best[a] = Double(pool.count)
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
            if work.best[Int(a)] == 0 {
                work.best[Int(a)] = -1
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
            scored.append(((1 - g) * work.score[i] + g * recent, a, Int32(work.best[i])))
            work.blendEvidence[i] = work.score[i]
            work.score[i] = 0
            work.best[i] = 0
        }
        work.touched.removeAll(keepingCapacity: true)
        let keep = topK(&scored, limit)
        var items: [ScoredArticle] = []
        items.reserveCapacity(keep)
        for (score, a, from) in scored.prefix(keep) where score > 0 {
            let i = Int(a)
            let site = Int(articles.site[i])
            var reason =
                from > 0
                ? pool[Int(from) - 1].reason
                : Explanation(
                    source: .trending, growth: trending.score[i], recentRate: trending.recentRate[i],
                    baselineRate: trending.baselineRate[i])
            reason.blend = Explanation.Blend(
                evidence: work.blendEvidence[i], hotness: hottest[site] > 0 ? hotness[i] / hottest[site] : 0,
                weight: min(1, personal ? readerFreshness[site] : configuration.mix.relatedFreshness) * activity[site])
            items.append(ScoredArticle(article: a, score: score, reason: reason))
        }
        for (_, a, _) in scored { work.blendEvidence[Int(a)] = 0 }
        return items
    }

    /// Related articles for a seed: co-occurrence ("readers of this also read", blended with "read in the same
    /// visit" by ``MixConfiguration/sessionWeight``) blended with tag similarity by evidence.
    func related(to seed: Int32, limit: Int, work: inout Scratch, eligible: (Int32) -> Bool) -> [ScoredArticle] {
        let s = Int(seed)
        let row = neighbours.row(s)
        let sessionRow = sessionNeighbours.row(s)
        // Each index over its best eligible neighbour; an index with none eligible leaves the other the whole
        // weight (the host site's own articles are often all a seed's session neighbours).
        var best = 0.0
        for n in row where neighbours.similarity[n] > best && eligible(neighbours.neighbours[n]) {
            best = neighbours.similarity[n]
        }
        var sessionBest = 0.0
        for n in sessionRow
        where sessionNeighbours.similarity[n] > sessionBest
            && eligible(sessionNeighbours.neighbours[n])
        {
            sessionBest = sessionNeighbours.similarity[n]
        }
        let w = sessionBest > 0 ? (best > 0 ? min(1, max(0, configuration.mix.sessionWeight)) : 1) : 0
        let evidence = Double(max(neighbours.occurrences[s], sessionNeighbours.occurrences[s]))
        let alpha = evidence / (evidence + configuration.mix.evidenceHalfSaturation)
        let content = alpha < 1 ? contentNeighbours(of: s, limit: limit, work: &work, eligible: eligible) : []
        // Scores go to the scratch row; reasons are made only for the items that survive the cut (tag
        // similarities wait in `tagSum`, zero again below).
        // Positions + 1 in the rows (`rowFrom`, `sessionFrom`), so reasons need no search; zeroed below.
        if best > 0, w < 1 {
            for n in row {
                let j = neighbours.neighbours[n]
                guard neighbours.similarity[n] > 0, eligible(j) else { continue }
                if work.score[Int(j)] == 0 { work.touched.append(j) }
                work.score[Int(j)] += alpha * (1 - w) * neighbours.similarity[n] / best
                work.rowFrom[Int(j)] = Int32(n - row.lowerBound + 1)
            }
        }
        if w > 0 {
            for n in sessionRow {
                let j = sessionNeighbours.neighbours[n]
                guard sessionNeighbours.similarity[n] > 0, eligible(j) else { continue }
                if work.score[Int(j)] == 0 { work.touched.append(j) }
                work.score[Int(j)] += alpha * w * sessionNeighbours.similarity[n] / sessionBest
                work.sessionFrom[Int(j)] = Int32(n - sessionRow.lowerBound + 1)
            }
        }
        for (j, similarity) in content {
            if work.score[Int(j)] == 0 { work.touched.append(j) }
            work.score[Int(j)] += (1 - alpha) * similarity
            work.tagSum[Int(j)] = similarity
        }
        // The position rows are read through copies that end with this block, before they are zeroed (else
        // zeroing would copy a catalogue-sized array).
        let items: [ScoredArticle]
        do {
            let rowFrom = work.rowFrom
            let sessionFrom = work.sessionFrom
            let tagScore = work.tagSum
            items = drain(&work, limit: limit) { j in
                var reason: Explanation
                let r = Int(rowFrom[Int(j)])
                let v = Int(sessionFrom[Int(j)])
                if r > 0 {
                    let n = row.lowerBound + r - 1
                    reason = Explanation(
                        source: .cooccurrence, seed: seed, cooccurrenceCount: neighbours.count[n],
                        similarity: neighbours.similarity[n])
                    if v > 0 { reason.sessionCount = sessionNeighbours.count[sessionRow.lowerBound + v - 1] }
                } else if v > 0 {
                    let n = sessionRow.lowerBound + v - 1
                    reason = Explanation(
                        source: .session, seed: seed, similarity: sessionNeighbours.similarity[n],
                        sessionCount: sessionNeighbours.count[n])
                } else {
                    reason = Explanation(source: .tags, seed: seed)
                }
                // The shared tags are named when an item is shown (`sharedTags(of:)`), not for every candidate.
                if tagScore[Int(j)] > 0 { reason.tagSimilarity = tagScore[Int(j)] }
                return reason
            }
        }
        for n in row { work.rowFrom[Int(neighbours.neighbours[n])] = 0 }
        for n in sessionRow { work.sessionFrom[Int(sessionNeighbours.neighbours[n])] = 0 }
        for (j, _) in content { work.tagSum[Int(j)] = 0 }
        return items
    }

    /// The best `limit` tag-similar articles, in no particular order (``related(to:limit:work:eligible:)`` only
    /// adds their scores), reading at most `maxTagPostings` of each tag's articles (newest first).
    ///
    /// The postings are the per-box inner loop of the widget job (hundreds per box), so the touched articles and
    /// their scores go into the scratch's fixed-size tag buffers through pointers: an append per posting checked
    /// the array's uniqueness and capacity each time. Sorting the best 50 was an eighth of the stage.
    func contentNeighbours(
        of seed: Int, limit: Int, work: inout Scratch, eligible: (Int32) -> Bool
    ) -> [(Int32, Double)] {
        let maxPostings = max(0, configuration.mix.maxTagPostings)
        let seedNorm = tagSimilarity.norm[seed]
        guard seedNorm > 0 else { return [] }
        let seedTags = articles.tags(of: seed)
        var bound = 0
        for t in seedTags {
            bound += min(tagSimilarity.tagOffsets[Int(t) + 1] - tagSimilarity.tagOffsets[Int(t)], maxPostings)
        }
        guard bound > 0 else { return [] }
        work.reserveTagBuffers(bound)
        let tagArticles = tagSimilarity.tagArticles
        let norm = tagSimilarity.norm
        return work.tagSum.withUnsafeMutableBufferPointer { sum in
            work.tagTouched.withUnsafeMutableBufferPointer { touched in
                var count = 0
                for t in seedTags {
                    let tag = Int(t)
                    let w = tagSimilarity.idf[tag] * tagSimilarity.idf[tag]
                    guard w > 0 else { continue }
                    let first = tagSimilarity.tagOffsets[tag]
                    let end = min(tagSimilarity.tagOffsets[tag + 1], first + maxPostings)
                    for m in first..<end {
                        let j = tagArticles[m]
                        if Int(j) == seed || !eligible(j) { continue }
                        if sum[Int(j)] == 0 {
                            touched[count] = j
                            count += 1
                        }
                        sum[Int(j)] += w
                    }
                }
                return work.tagRanked.withUnsafeMutableBufferPointer { ranked in
                    var n = 0
                    for i in 0..<count {
                        let j = touched[i]
                        let jn = norm[Int(j)]
                        if jn > 0 {
                            ranked[n] = (sum[Int(j)] / (seedNorm * jn), j, 0)
                            n += 1
                        }
                        sum[Int(j)] = 0
                    }
                    let front = UnsafeMutableBufferPointer(rebasing: ranked[0..<n])
                    let keep = selectTop(front, limit)
                    return (0..<keep).map { (front[$0].1, front[$0].0) }
                }
            }
        }
    }

    /// The reader's personal scores, with the read article that contributed most as the reason's seed; and the
    /// scores of the articles `also` names (0 for those with none), in its order.
    func personal(
        reader u: Int, limit: Int, also: [Int32] = [], work: inout Scratch, eligible: (Int32) -> Bool
    ) -> ([ScoredArticle], [Double]) {
        do {
            for k in strongestOffsets[u]..<strongestOffsets[u + 1] {
                let m = Int(strongest[k])
                let i = affinity.articles[m]
                let w = affinity.weights[m]
                for n in neighbours.row(Int(i)) {
                    let j = neighbours.neighbours[n]
                    guard eligible(j) else { continue }
                    let contribution = w * neighbours.similarity[n]
                    if work.score[Int(j)] == 0 { work.touched.append(j) }
                    work.score[Int(j)] += contribution
                    if contribution > work.best[Int(j)] {
                        work.best[Int(j)] = contribution
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
                work.best[Int(j)] = 0
                work.bestFrom[Int(j)] = 0
            }
            let items = drain(&work, limit: limit) { j in
                Explanation(source: .personalized, seed: from[j], similarity: nil)
            }
            return (items, alsoScores)
        }
    }

    /// The best `limit` of the touched scores as items (reasons from `reason`), leaving the scratch all zeros.
    private func drain(_ work: inout Scratch, limit: Int, reason: (Int32) -> Explanation?) -> [ScoredArticle] {
        var scored = work.takeRanked()
        defer { work.giveBack(&scored) }
        for j in work.touched {
            let s = work.score[Int(j)]
            work.score[Int(j)] = 0
            if s > 0 { scored.append((s, j, 0)) }
        }
        work.touched.removeAll(keepingCapacity: true)
        let keep = topK(&scored, limit)
        var items: [ScoredArticle] = []
        items.reserveCapacity(keep)
        for (score, article, _) in scored.prefix(keep) {
            guard var r = reason(article) else { continue }
            if r.source == .personalized { r.similarity = score }
            items.append(ScoredArticle(article: article, score: score, reason: r))
        }
        return items
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
