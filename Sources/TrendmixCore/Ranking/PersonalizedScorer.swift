/// Scores articles for one reader from their affinities and the article similarities, as SAR does:
/// score(u, j) = Σ over i of affinity(u, i) · similarity(i, j).
public struct PersonalizedScorer: Sendable {
    public let affinity: ReaderAffinity
    public let neighbours: NeighbourIndex

    public init(affinity: ReaderAffinity, neighbours: NeighbourIndex) {
        self.affinity = affinity
        self.neighbours = neighbours
    }

    /// The reader's best `k` articles with a positive score, best first, ties by article index.
    /// - Parameters:
    ///   - removeSeen: leave out articles the reader already engaged with (SAR's `remove_seen`).
    ///   - scratch: a reusable dense score row of the catalogue's size (all zeros between calls).
    /// - Complexity: O(Σ over the reader's articles of their neighbour counts + k log k).
    public func recommend(
        reader u: Int, k: Int, removeSeen: Bool, scratch: inout [Double]
    ) -> [(article: Int32, score: Double)] {
        var touched: [Int32] = []
        for m in affinity.row(u) {
            let i = Int(affinity.articles[m])
            let w = affinity.weights[m]
            for n in neighbours.row(i) {
                let j = Int(neighbours.neighbours[n])
                if scratch[j] == 0 { touched.append(Int32(j)) }
                scratch[j] += w * neighbours.similarity[n]
            }
        }
        if removeSeen {
            for m in affinity.row(u) { scratch[Int(affinity.articles[m])] = 0 }
        }
        var scored: [Ranked] = []
        scored.reserveCapacity(touched.count)
        for j in touched {
            let s = scratch[Int(j)]
            scratch[Int(j)] = 0
            if s > 0 { scored.append(Ranked(score: s, article: j)) }
        }
        let keep = topK(&scored, k)
        return scored.prefix(keep).map { (article: $0.article, score: $0.score) }
    }
}
