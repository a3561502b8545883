/// Every reader's interest in the articles they engaged with: the decayed, weighted sum of their events,
/// as SAR's user affinity matrix computes it.
///
/// affinity(u, a) = Σ over u's events e on a of weight(e) · decay(now − time(e)), with
/// decay(age) = min(1, 2^(−age / halfLife)), or 1 for every event when `decay` is `nil`.
/// Stored in compressed sparse rows: `offsets[u]..<offsets[u + 1]` indexes `articles` (ascending) and `weights`.
public struct ReaderAffinity: Sendable, Equatable {
    public var offsets: [Int]
    public var articles: [Int32]
    public var weights: [Double]

    public var readerCount: Int { offsets.count - 1 }

    /// Assembles stored rows.
    public init(offsets: [Int], articles: [Int32], weights: [Double]) {
        self.offsets = offsets
        self.articles = articles
        self.weights = weights
    }

    /// - Complexity: O(E + R + A).
    public init(snapshot: Snapshot, weights eventWeights: EventWeights, decay: RecencyDecay?, now: Timestamp) {
        let events = snapshot.events
        let readers = snapshot.readers.count
        let (start, byReader) = grouped(count: events.count, groups: readers) { Int(events.reader[$0]) }
        var offsets = [0]
        var articles: [Int32] = []
        var weights: [Double] = []
        var sum = [Double](repeating: 0, count: snapshot.articles.count)
        var seen = [Bool](repeating: false, count: snapshot.articles.count)
        var touched: [Int32] = []
        for u in 0..<readers {
            for k in start[u]..<start[u + 1] {
                let e = Int(byReader[k])
                let a = Int(events.article[e])
                let w = eventWeights.weight(events.type[e], value: events.value[e])
                let factor = decay?.factor(at: events.time[e], now: now.milliseconds) ?? 1
                if !seen[a] {
                    seen[a] = true
                    touched.append(Int32(a))
                }
                sum[a] += w * factor
            }
            touched.sort()
            for a in touched {
                articles.append(a)
                weights.append(sum[Int(a)])
                sum[Int(a)] = 0
                seen[Int(a)] = false
            }
            touched.removeAll(keepingCapacity: true)
            offsets.append(articles.count)
        }
        self.offsets = offsets
        self.articles = articles
        self.weights = weights
    }

    /// The articles reader `u` engaged with and their affinities.
    public func row(_ u: Int) -> Range<Int> { offsets[u]..<offsets[u + 1] }
}

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
