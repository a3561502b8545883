public import TrendmixCore

/// Steck's EASE (WWW 2019) over a snapshot's baskets: `B = I − P·diag(1/diag P)`, `P = (XᵀX + λI)⁻¹`, with
/// `diag B = 0`, where `X` is the binary basket × article matrix (a reader's basket holds each article once).
/// A reader's score for article `j` is `Σ_{i read} B[i, j]`.
///
/// Only ``articles`` take part: at most ``EASEConfiguration/maxArticles``, those engaged most recently (ties:
/// more baskets, then the lower index), so that the live catalogue is in when the history is too long.
public struct EASE: Sendable {
    /// The modelled articles (snapshot indices), ascending: dense index `k` is `articles[k]`.
    public let articles: [Int32]
    /// `B` row-major, `articles.count²`: `weights[i * n + j]` is what reading `articles[i]` adds to
    /// `articles[j]`'s score.
    public let weights: [Double]
    /// The baskets `X`'s rows came from (co-occurrence's, so that counts and explanations read the same).
    public let baskets: Baskets

    /// Learns B from `snapshot`'s events as the co-occurrence step would put them in baskets
    /// (`configuration`'s unit, weights and basket cap; cross-occurrence is not used).
    /// - Complexity: O(Σ basket size²) for `XᵀX`, then O(n³) for the inverse; O(n²) memory.
    public init(snapshot: Snapshot, configuration: CooccurrenceConfiguration) {
        let ease = configuration.ease ?? EASEConfiguration()
        let weights = configuration.weights
        let types = snapshot.events.type
        let values = snapshot.events.value
        let counts = { (e: Int) in weights.weight(types[e], value: values[e]) > 0 }
        let assignment = BasketAssignment(snapshot: snapshot, unit: configuration.unit, include: counts)
        let baskets = Baskets(
            snapshot: snapshot, assignment: assignment, maxItems: configuration.maxItemsPerBasket, include: counts)
        let articles = Self.modelled(snapshot: snapshot, baskets: baskets, include: counts, limit: ease.maxArticles)
        var gram = Self.gram(baskets: baskets, articles: articles, articleCount: snapshot.articles.count)
        self.init(articles: articles, gram: &gram, lambda: ease.lambda, baskets: baskets)
    }

    /// B from a Gram matrix `XᵀX` (`articles.count²`, row-major), consumed.
    public init(articles: [Int32], gram: inout [Double], lambda: Double, baskets: Baskets) {
        Self.solve(&gram, n: articles.count, lambda: lambda)
        self.articles = articles
        self.weights = gram
        self.baskets = baskets
    }

    /// Turns a Gram matrix `XᵀX` (`n × n`, row-major) into EASE's `B` in place.
    /// - Complexity: O(n³) (the inverse, on OpenBLAS's threads) plus O(n²); no memory beyond `gram`.
    public static func solve(_ gram: inout [Double], n: Int, lambda: Double) {
        precondition(lambda >= EASEConfiguration.lambdaRange.lowerBound, "λ below 1")
        for k in 0..<n { gram[k * n + k] += lambda }
        // XᵀX is positive semi-definite, so XᵀX + λI with λ ≥ 1 is positive definite with a condition number
        // below (max basket count + λ) / λ, far from double's 1/ε: the factorisation cannot fail.
        let inverted = LinearAlgebra.invertSymmetricPositiveDefinite(&gram, n: n)
        precondition(inverted, "XᵀX + λI was not positive definite")
        let diagonal = (0..<n).map { gram[$0 * n + $0] }
        gram.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                for j in 0..<n { p[i * n + j] = i == j ? 0 : -p[i * n + j] / diagonal[j] }
            }
        }
    }

    /// The articles in at least one basket, the `limit` engaged most recently when there are more.
    static func modelled(snapshot: Snapshot, baskets: Baskets, include: (Int) -> Bool, limit: Int) -> [Int32] {
        let present = (0..<baskets.articleCount).filter { baskets.occurrences(of: $0) > 0 }
        guard present.count > limit else { return present.map(Int32.init) }
        var latest = [Int64](repeating: .min, count: snapshot.articles.count)
        let events = snapshot.events
        for e in 0..<events.count where include(e) {
            latest[Int(events.article[e])] = max(latest[Int(events.article[e])], events.time[e])
        }
        let ranked = present.sorted {
            (latest[$0], baskets.occurrences(of: $0), -$0) > (latest[$1], baskets.occurrences(of: $1), -$1)
        }
        return ranked.prefix(limit).sorted().map(Int32.init)
    }

    /// `XᵀX` over `articles`, dense and row-major: how many baskets hold both (the diagonal: each one).
    /// - Complexity: O(Σ over baskets of (its modelled articles)²).
    static func gram(baskets: Baskets, articles: [Int32], articleCount: Int) -> [Double] {
        let n = articles.count
        var slot = [Int32](repeating: -1, count: articleCount)
        for (k, a) in articles.enumerated() { slot[Int(a)] = Int32(k) }
        var gram = [Double](repeating: 0, count: n * n)
        var held: [Int] = []
        gram.withUnsafeMutableBufferPointer { g in
            for b in 0..<baskets.basketCount {
                held.removeAll(keepingCapacity: true)
                for m in baskets.basketOffsets[b]..<baskets.basketOffsets[b + 1] {
                    let k = slot[Int(baskets.basketItems[m])]
                    if k >= 0 { held.append(Int(k)) }
                }
                for p in held {
                    for q in held { g[p * n + q] += 1 }
                }
            }
        }
        return gram
    }

    /// `B` as neighbour rows: each modelled article's positive weights, the best `limit` (`nil`: all), ties by
    /// the lower index; each pair's co-occurrence count beside it (for explanations). Articles outside the
    /// solve have empty rows.
    public func neighbourIndex(limit: Int?) -> NeighbourIndex {
        let n = articles.count
        let articleCount = baskets.articleCount
        var rowOf = [Int](repeating: -1, count: articleCount)
        for (k, a) in articles.enumerated() { rowOf[Int(a)] = k }
        let weights = self.weights
        let articles = self.articles
        let baskets = self.baskets
        let rows = parallelMap(count: n) { range -> [(Int, [Ranked])] in
            var out: [(Int, [Ranked])] = []
            for i in range {
                var scored: [Ranked] = []
                for j in 0..<n where weights[i * n + j] > 0 {
                    scored.append(Ranked(score: weights[i * n + j], article: articles[j]))
                }
                let keep = topK(&scored, limit)
                out.append((i, Array(scored.prefix(keep))))
            }
            return out
        }.flatMap { $0 }
        var offsets = [0]
        offsets.reserveCapacity(articleCount + 1)
        var neighbours: [Int32] = []
        var similarity: [Double] = []
        var count: [Int32] = []
        for a in 0..<articleCount {
            if rowOf[a] >= 0 {
                for ranked in rows[rowOf[a]].1 {
                    neighbours.append(ranked.article)
                    similarity.append(ranked.score)
                    count.append(Int32(baskets.shared(a, Int(ranked.article))))
                }
            }
            offsets.append(neighbours.count)
        }
        let nonEmpty = (0..<baskets.basketCount).count { !baskets.isEmpty($0) }
        return NeighbourIndex(
            offsets: offsets, neighbours: neighbours, similarity: similarity, count: count,
            occurrences: (0..<articleCount).map { Int32(baskets.occurrences(of: $0)) }, basketCount: nonEmpty)
    }
}

extension Baskets {
    /// How many baskets hold both `a` and `b`: the two ascending basket lists merged.
    func shared(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (itemOffsets[a], itemOffsets[b])
        let (xEnd, yEnd) = (itemOffsets[a + 1], itemOffsets[b + 1])
        var both = 0
        while x < xEnd, y < yEnd {
            if itemBaskets[x] == itemBaskets[y] {
                both += 1
                x += 1
                y += 1
            } else if itemBaskets[x] < itemBaskets[y] {
                x += 1
            } else {
                y += 1
            }
        }
        return both
    }
}

extension NeighbourIndex {
    /// The reader rows a build learns: EASE's weights when `configuration.ease` is set, counted co-occurrence
    /// otherwise. Every build goes through here (the engine, the evaluation, the calibration's backtests).
    public static func learned(snapshot: Snapshot, configuration: CooccurrenceConfiguration) -> NeighbourIndex {
        guard configuration.ease != nil else { return NeighbourIndex(snapshot: snapshot, configuration: configuration) }
        return EASE(snapshot: snapshot, configuration: configuration).neighbourIndex(limit: configuration.neighbours)
    }
}
