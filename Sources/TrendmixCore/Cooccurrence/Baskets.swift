/// Baskets of distinct articles, in compressed sparse row form both ways: basket → articles and
/// article → baskets. Basket ids come from ``BasketAssignment``, so two `Baskets` built from one assignment
/// with different event filters (cross-occurrence) number their baskets alike.
public struct Baskets: Sendable {
    /// `basketOffsets[b]..<basketOffsets[b + 1]` indexes `basketItems` (ascending article indices).
    public var basketOffsets: [Int]
    public var basketItems: [Int32]
    /// `itemOffsets[a]..<itemOffsets[a + 1]` indexes `itemBaskets` (ascending basket indices).
    public var itemOffsets: [Int]
    public var itemBaskets: [Int32]

    public var basketCount: Int { basketOffsets.count - 1 }
    public var articleCount: Int { itemOffsets.count - 1 }

    /// How many baskets hold article `a`.
    @inline(__always)
    public func occurrences(of a: Int) -> Int { itemOffsets[a + 1] - itemOffsets[a] }

    /// Whether basket `b` holds any article.
    @inline(__always)
    public func isEmpty(_ b: Int) -> Bool { basketOffsets[b] == basketOffsets[b + 1] }

    /// Builds baskets of the events that pass `include`.
    ///
    /// - Parameters:
    ///   - assignment: the basket of every event.
    ///   - maxItems: a basket with more distinct articles keeps its most recently engaged `maxItems`
    ///     (ties by article index), so that a few heavy readers (or bots) cannot dominate the counts; the
    ///     Universal Recommender caps at 500. `nil` keeps all.
    ///   - include: which events count, by index.
    /// - Complexity: O(E + A + B), plus a sort of the baskets over `maxItems`.
    public init(snapshot: Snapshot, assignment: BasketAssignment, maxItems: Int?, include: (Int) -> Bool) {
        let events = snapshot.events
        let articleCount = snapshot.articles.count
        let basketCount = assignment.basketCount
        // The included events by basket (stable).
        let (start, byBasket) = grouped(count: events.count, groups: basketCount) { e in
            assignment.basketOf[e] >= 0 && include(e) ? Int(assignment.basketOf[e]) : -1
        }
        // Distinct articles per basket, capped to the most recent.
        var offsets = [Int]()
        offsets.reserveCapacity(basketCount + 1)
        offsets.append(0)
        var items: [Int32] = []
        items.reserveCapacity(byBasket.count)
        var stamp = [Int32](repeating: -1, count: articleCount)
        var latest = [Int64](repeating: .min, count: articleCount)
        var scratch: [Int32] = []
        for b in 0..<basketCount {
            scratch.removeAll(keepingCapacity: true)
            for k in start[b]..<start[b + 1] {
                let e = Int(byBasket[k])
                let a = Int(events.article[e])
                let t = events.time[e]
                if stamp[a] != Int32(b) {
                    stamp[a] = Int32(b)
                    latest[a] = t
                    scratch.append(Int32(a))
                } else if t > latest[a] {
                    latest[a] = t
                }
            }
            if let maxItems, scratch.count > maxItems {
                scratch.sort { latest[Int($0)] != latest[Int($1)] ? latest[Int($0)] > latest[Int($1)] : $0 < $1 }
                scratch.removeLast(scratch.count - maxItems)
            }
            scratch.sort()
            items.append(contentsOf: scratch)
            offsets.append(items.count)
        }
        basketOffsets = offsets
        basketItems = items

        // The transpose: article → baskets, ascending.
        var itemOffsets = [Int](repeating: 0, count: articleCount + 1)
        for a in items { itemOffsets[Int(a) + 1] += 1 }
        for a in 0..<articleCount { itemOffsets[a + 1] += itemOffsets[a] }
        var fill = itemOffsets
        var itemBaskets = [Int32](repeating: 0, count: items.count)
        for b in 0..<basketCount {
            for i in offsets[b]..<offsets[b + 1] {
                let a = Int(items[i])
                itemBaskets[fill[a]] = Int32(b)
                fill[a] += 1
            }
        }
        self.itemOffsets = itemOffsets
        self.itemBaskets = itemBaskets
    }
}
