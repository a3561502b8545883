#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Content similarity from tags: the cosine of IDF-weighted tag vectors.
///
///     idf(t) = ln(N / df(t))          (N articles, df(t) of them tagged t)
///     sim(i, j) = Σ over shared tags t of idf(t)² / (‖i‖ · ‖j‖),   ‖i‖ = sqrt(Σ over i's tags of idf(t)²)
///
/// A tag on every article says nothing (idf 0); a rare shared tag says a lot. Used where co-occurrence has
/// little evidence: new articles, quiet sites.
public struct TagSimilarity: Sendable {
    /// `tagOffsets[t]..<tagOffsets[t + 1]` indexes `tagArticles`, newest first (ties and unknown publish
    /// times by index): the inverted index.
    public let tagOffsets: [Int]
    public let tagArticles: [Int32]
    public let idf: [Double]
    public let norm: [Double]
    let articleTagOffsets: [Int32]
    let articleTags: [Int32]

    /// - Complexity: O(A + total tags).
    public init(articles: Snapshot.Articles, tagCount: Int) {
        var df = [Int](repeating: 0, count: tagCount + 1)
        for t in articles.tagList { df[Int(t) + 1] += 1 }
        var offsets = df
        for t in 0..<tagCount { offsets[t + 1] += offsets[t] }
        var fill = offsets
        var inverted = [Int32](repeating: 0, count: articles.tagList.count)
        for a in 0..<articles.count {
            for t in articles.tags(of: a) {
                inverted[fill[Int(t)]] = Int32(a)
                fill[Int(t)] += 1
            }
        }
        // Newest first within each tag, so a reader that stops early keeps the freshest articles.
        for t in 0..<tagCount {
            inverted[offsets[t]..<offsets[t + 1]].sort {
                let p0 = articles.publishedAt[Int($0)] ?? .min
                let p1 = articles.publishedAt[Int($1)] ?? .min
                return p0 != p1 ? p0 > p1 : $0 < $1
            }
        }
        let n = Double(max(articles.count, 1))
        let idf = (0..<tagCount).map { t -> Double in
            let d = Double(offsets[t + 1] - offsets[t])
            return d > 0 ? log(n / d) : 0
        }
        tagOffsets = offsets
        tagArticles = inverted
        self.idf = idf
        norm = (0..<articles.count).map { a in
            articles.tags(of: a).reduce(0.0) { $0 + idf[Int($1)] * idf[Int($1)] }.squareRoot()
        }
        articleTagOffsets = articles.tagOffsets
        articleTags = articles.tagList
    }

    /// Articles sharing a tag with `seed` that pass `include`, with their similarity, best first (ties by index),
    /// at most `limit`.
    /// - Complexity: O(Σ over the seed's tags of their article counts) with a dense scratch row.
    public func similar(
        to seed: Int, limit: Int, scratch: inout [Double], include: (Int) -> Bool
    ) -> [(article: Int32, similarity: Double)] {
        guard norm[seed] > 0 else { return [] }
        var touched: [Int32] = []
        for k in Int(articleTagOffsets[seed])..<Int(articleTagOffsets[seed + 1]) {
            let t = Int(articleTags[k])
            let w = idf[t] * idf[t]
            guard w > 0 else { continue }
            for m in tagOffsets[t]..<tagOffsets[t + 1] {
                let j = Int(tagArticles[m])
                if j == seed || !include(j) { continue }
                if scratch[j] == 0 { touched.append(Int32(j)) }
                scratch[j] += w
            }
        }
        var scored: [Ranked] = []
        scored.reserveCapacity(touched.count)
        for j in touched {
            let s = norm[Int(j)] > 0 ? scratch[Int(j)] / (norm[seed] * norm[Int(j)]) : 0
            scratch[Int(j)] = 0
            if s > 0 { scored.append(Ranked(score: s, article: j)) }
        }
        let keep = topK(&scored, limit)
        return scored.prefix(keep).map { (article: $0.article, similarity: $0.score) }
    }

    /// The tags two articles share.
    /// - Complexity: O(|tags(i)| · |tags(j)|): articles carry a handful of tags, so no set is built.
    public func shared(_ i: Int, _ j: Int) -> [Int32] {
        let other = articleTags[Int(articleTagOffsets[j])..<Int(articleTagOffsets[j + 1])]
        return articleTags[Int(articleTagOffsets[i])..<Int(articleTagOffsets[i + 1])].filter { other.contains($0) }
    }
}
