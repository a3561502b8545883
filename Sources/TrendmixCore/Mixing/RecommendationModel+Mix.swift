extension RecommendationModel: Recommender {
    /// Fills a box: candidates from the stages below (each after the ones before it, never twice), then
    /// per-site quotas and tag diversity.
    ///
    /// 1. With a seed: related articles, α·(co-occurrence similarity / the row's best) + (1 − α)·tag
    ///    similarity with α = n / (n + κ), n the seed's basket count (``MixConfiguration``).
    /// 2. With a reader: their personal scores, Σ affinity · similarity over what they read (as SAR).
    /// 3. Trending on each eligible site, merged by score.
    /// 4. The newest articles of each eligible site.
    ///
    /// Selection: with m sites among the candidates, no site gets more than ⌈k/m⌉ items unless the others run
    /// dry; within that, an item whose first tag is already in the box waits until the items that add a new
    /// tag are taken. Eligible: not the seed, not on the host site (unless allowed), not excluded, not read by
    /// the reader, inside the filters, published no later than `now` and not older than the freshness cutoff.
    /// Ties break by article index, so equal inputs give equal boxes.
    /// - Complexity: O(neighbours + tag postings of the seed + reader history + sites · k) per request.
    public func recommend(_ r: RecommendationRequest) -> [ScoredArticle] {
        let mix = configuration.mix
        let k = max(0, r.k)
        guard k > 0 else { return [] }
        let now = r.now.milliseconds
        let oldest = mix.maxAge.map { now - Int64($0.inMilliseconds) }
        var seenByReader = Set<Int32>()
        if let u = r.reader, Int(u) < affinity.readerCount {
            for m in affinity.row(Int(u)) { seenByReader.insert(affinity.articles[m]) }
        }
        func eligible(_ j: Int32) -> Bool {
            let a = Int(j)
            let site = articles.site[a]
            if j == r.seed || r.exclude.contains(j) || seenByReader.contains(j) { return false }
            if !mix.includeHostSite, site == r.host { return false }
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

        var candidates: [ScoredArticle] = []
        var offered = Set<Int32>()
        func offer(_ stage: [ScoredArticle]) {
            for item in stage where offered.insert(item.article).inserted { candidates.append(item) }
        }
        let perStage = max(mix.candidatesPerStage, k)
        if let seed = r.seed, Int(seed) < articles.count {
            offer(related(to: seed, limit: perStage, eligible: eligible))
        }
        if let u = r.reader, Int(u) < affinity.readerCount {
            offer(personal(reader: Int(u), limit: perStage, eligible: eligible))
        }
        offer(
            perSite(trendingOrder, limit: k, eligible: eligible) { a in
                ScoredArticle(
                    article: a, score: trending.score[Int(a)],
                    reason: Explanation(
                        source: .trending, growth: trending.score[Int(a)], recentRate: trending.recentRate[Int(a)],
                        baselineRate: trending.baselineRate[Int(a)]))
            })
        if candidates.count < k * 2 {
            offer(
                perSite(newestOrder, limit: k, eligible: eligible) { a in
                    ScoredArticle(
                        article: a, score: Double(articles.publishedAt[Int(a)] ?? 0) / 86_400_000,
                        reason: Explanation(source: .newest))
                })
        }
        return select(candidates, k: k, diversity: mix.tagDiversity)
    }

    /// Related articles for a seed: co-occurrence blended with tag similarity by evidence.
    func related(to seed: Int32, limit: Int, eligible: (Int32) -> Bool) -> [ScoredArticle] {
        let s = Int(seed)
        let row = neighbours.row(s)
        let best = row.first.map { neighbours.similarity[$0] } ?? 0
        let evidence = Double(neighbours.occurrences[s])
        let alpha = evidence / (evidence + configuration.mix.evidenceHalfSaturation)
        var score: [Int32: Double] = [:]
        var reason: [Int32: Explanation] = [:]
        for n in row {
            let j = neighbours.neighbours[n]
            guard eligible(j) else { continue }
            score[j] = alpha * (best > 0 ? neighbours.similarity[n] / best : 0)
            reason[j] = Explanation(
                source: .cooccurrence, seed: seed, cooccurrenceCount: neighbours.count[n],
                similarity: neighbours.similarity[n])
        }
        if alpha < 1 {
            for (j, similarity) in contentNeighbours(of: s, limit: limit, eligible: eligible) {
                score[j, default: 0] += (1 - alpha) * similarity
                let shared = tagSimilarity.shared(s, Int(j))
                if var existing = reason[j] {
                    existing.tagSimilarity = similarity
                    existing.sharedTags = shared
                    reason[j] = existing
                } else {
                    reason[j] = Explanation(source: .tags, seed: seed, tagSimilarity: similarity, sharedTags: shared)
                }
            }
        }
        return ranked(score, reason, limit: limit)
    }

    /// Tag-similar articles; tags on more than `maxTagShare` of the catalogue are skipped.
    func contentNeighbours(of seed: Int, limit: Int, eligible: (Int32) -> Bool) -> [(Int32, Double)] {
        let maxPostings = max(1000, Int(configuration.mix.maxTagShare * Double(articles.count)))
        var sum: [Int32: Double] = [:]
        let seedNorm = tagSimilarity.norm[seed]
        guard seedNorm > 0 else { return [] }
        for t in articles.tags(of: seed) {
            let tag = Int(t)
            let postings = tagSimilarity.tagOffsets[tag]..<tagSimilarity.tagOffsets[tag + 1]
            guard postings.count <= maxPostings else { continue }
            let w = tagSimilarity.idf[tag] * tagSimilarity.idf[tag]
            for m in postings {
                let j = tagSimilarity.tagArticles[m]
                if Int(j) == seed || !eligible(j) { continue }
                sum[j, default: 0] += w
            }
        }
        var scored: [(Double, Int32, Int32)] = sum.compactMap { j, w in
            let norm = tagSimilarity.norm[Int(j)]
            return norm > 0 ? (w / (seedNorm * norm), j, 0) : nil
        }
        let keep = topK(&scored, limit)
        return scored.prefix(keep).map { ($0.1, $0.0) }
    }

    /// The reader's personal scores, with the read article that contributed most as the reason's seed.
    func personal(reader u: Int, limit: Int, eligible: (Int32) -> Bool) -> [ScoredArticle] {
        var score: [Int32: Double] = [:]
        var top: [Int32: (Double, Int32)] = [:]
        for m in affinity.row(u) {
            let i = affinity.articles[m]
            let w = affinity.weights[m]
            for n in neighbours.row(Int(i)) {
                let j = neighbours.neighbours[n]
                guard eligible(j) else { continue }
                let contribution = w * neighbours.similarity[n]
                score[j, default: 0] += contribution
                if contribution > (top[j]?.0 ?? 0) { top[j] = (contribution, i) }
            }
        }
        var reason: [Int32: Explanation] = [:]
        for (j, best) in top {
            reason[j] = Explanation(source: .personalized, seed: best.1, similarity: score[j])
        }
        return ranked(score, reason, limit: limit)
    }

    private func ranked(_ score: [Int32: Double], _ reason: [Int32: Explanation], limit: Int) -> [ScoredArticle] {
        var scored: [(Double, Int32, Int32)] = score.compactMap { $0.value > 0 ? ($0.value, $0.key, 0) : nil }
        let keep = topK(&scored, limit)
        return scored.prefix(keep).compactMap { item in
            reason[item.1].map { ScoredArticle(article: item.1, score: item.0, reason: $0) }
        }
    }

    /// The first `limit` eligible articles of each site's order, merged best first (ties by index).
    private func perSite(
        _ orders: [[Int32]], limit: Int, eligible: (Int32) -> Bool, make: (Int32) -> ScoredArticle
    ) -> [ScoredArticle] {
        var items: [ScoredArticle] = []
        for order in orders {
            var taken = 0
            for a in order where eligible(a) {
                items.append(make(a))
                taken += 1
                if taken == limit { break }
            }
        }
        items.sort { $0.score != $1.score ? $0.score > $1.score : $0.article < $1.article }
        return items
    }

    /// Quotas and tag diversity over the ordered candidates.
    func select(_ candidates: [ScoredArticle], k: Int, diversity: Bool) -> [ScoredArticle] {
        let siteCount = Set(candidates.map { articles.site[Int($0.article)] }).count
        guard siteCount > 0 else { return [] }
        let quota = (k + siteCount - 1) / siteCount
        var perSite: [Int32: Int] = [:]
        var usedTags = Set<Int32>()
        var taken = Set<Int32>()
        var box: [ScoredArticle] = []
        func take(_ item: ScoredArticle) {
            box.append(item)
            taken.insert(item.article)
            perSite[articles.site[Int(item.article)], default: 0] += 1
            if let tag = articles.tags(of: Int(item.article)).first { usedTags.insert(tag) }
        }
        // Pass 1: within quota, adding a new tag; pass 2: within quota; pass 3: anything (others ran dry).
        for pass in 1...3 {
            for item in candidates where box.count < k && !taken.contains(item.article) {
                let site = articles.site[Int(item.article)]
                if pass < 3, perSite[site, default: 0] >= quota { continue }
                if pass == 1, diversity, let tag = articles.tags(of: Int(item.article)).first, usedTags.contains(tag) {
                    continue
                }
                take(item)
            }
        }
        // The box keeps the candidates' order (stage, then score), not the order of the passes.
        let position = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($0.element.article, $0.offset) })
        return box.sorted { (position[$0.article] ?? 0) < (position[$1.article] ?? 0) }
    }
}
