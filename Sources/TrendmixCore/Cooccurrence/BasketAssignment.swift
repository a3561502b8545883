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
