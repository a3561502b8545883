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
