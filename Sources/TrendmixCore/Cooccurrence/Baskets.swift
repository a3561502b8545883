/// Which events make a "basket": the unit within which two articles count as read together.
public enum BasketUnit: Sendable, Hashable, Codable {
    /// Everything one reader engaged with in the snapshot's window (SAR's and the Universal Recommender's unit).
    case reader
    /// One session (events without a session are left out).
    case session
    /// A reader's events split wherever they paused longer than the gap: visits, for sources without sessions.
    case readerGap(Duration)
}

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

/// The basket (reader, session or visit) of every event.
public struct BasketAssignment: Sendable {
    /// Basket of each event, -1 for events in none (anonymous, or no session).
    public var basketOf: [Int32]
    public var basketCount: Int

    /// - Parameter include: events considered when splitting visits (`readerGap`); others get no basket.
    public init(snapshot: Snapshot, unit: BasketUnit, include: (Int) -> Bool) {
        let events = snapshot.events
        switch unit {
        case .reader:
            basketOf = (0..<events.count).map { include($0) ? events.reader[$0] : -1 }
            basketCount = snapshot.readers.count
        case .session:
            basketOf = (0..<events.count).map { include($0) ? events.session[$0] : -1 }
            // A snapshot assembled by hand may leave `sessionCount` at 0: the ids themselves bound it too.
            basketCount = max(snapshot.sessionCount, Int(basketOf.max() ?? -1) + 1)
        case .readerGap(let gap):
            let gapMs = Int64(gap.inMilliseconds)
            // Each reader's events in time order (ties by event index), split at long pauses.
            var order = (0..<events.count).filter { include($0) && events.reader[$0] >= 0 }.map { Int32($0) }
            order.sort {
                let (a, b) = (Int($0), Int($1))
                if events.reader[a] != events.reader[b] { return events.reader[a] < events.reader[b] }
                if events.time[a] != events.time[b] { return events.time[a] < events.time[b] }
                return a < b
            }
            var basketOf = [Int32](repeating: -1, count: events.count)
            var next: Int32 = -1
            for (k, e32) in order.enumerated() {
                let e = Int(e32)
                if k == 0 {
                    next += 1
                } else {
                    let previous = Int(order[k - 1])
                    if events.reader[previous] != events.reader[e] || events.time[e] - events.time[previous] > gapMs {
                        next += 1
                    }
                }
                basketOf[e] = next
            }
            self.basketOf = basketOf
            basketCount = Int(next) + 1
        }
    }
}
