/// A candidate being ranked: its score, its article, and where it came from (a pair count, a position in a
/// list: whatever the stage needs to find it again). Ranked by score descending, then article ascending, so
/// equal inputs give equal orders.
public struct Ranked: Sendable, Equatable {
    public var score: Double
    public var article: Int32
    public var origin: Int32

    @inline(__always)
    public init(score: Double, article: Int32, origin: Int32 = 0) {
        self.score = score
        self.article = article
        self.origin = origin
    }

    /// Whether this ranks before `other`: a higher score, or an equal one and a lower article index.
    @inline(__always)
    public func ranksBefore(_ other: Ranked) -> Bool {
        score != other.score ? score > other.score : article < other.article
    }
}

/// Moves `buffer[from]` down the min-heap `buffer[0..<size]` (worst entry at the root).
@inline(__always)
private func siftDown(_ h: UnsafeMutableBufferPointer<Ranked>, from start: Int, size: Int) {
    var parent = start
    while true {
        let left = 2 * parent + 1
        if left >= size { return }
        var child = left
        if left + 1 < size, h[left].ranksBefore(h[left + 1]) { child = left + 1 }
        if !h[parent].ranksBefore(h[child]) { return }
        h.swapAt(parent, child)
        parent = child
    }
}

/// Restores the min-heap after its root was replaced.
@inline(__always)
func siftDown(_ heap: inout [Ranked]) {
    let size = heap.count
    heap.withUnsafeMutableBufferPointer { siftDown($0, from: 0, size: size) }
}

/// Makes the array a min-heap with the worst entry at the root.
@inline(__always)
func heapify(_ heap: inout [Ranked]) {
    let size = heap.count
    heap.withUnsafeMutableBufferPointer { h in
        for start in stride(from: size / 2 - 1, through: 0, by: -1) { siftDown(h, from: start, size: size) }
    }
}

/// Moves the best `limit` entries (as ``topK(_:_:)-([Ranked],_)`` orders them) to the front of
/// the buffer, in no particular order (a min-heap, worst first), and returns how many there are: for callers
/// that only need which entries are best, it saves the final sort.
@inline(__always)
package func selectTop(_ buffer: UnsafeMutableBufferPointer<Ranked>, _ limit: Int?) -> Int {
    let n = buffer.count
    let k = min(limit ?? n, n)
    guard k > 0 else { return 0 }
    for i in stride(from: k / 2 - 1, through: 0, by: -1) { siftDown(buffer, from: i, size: k) }
    if k < n {
        for i in k..<n where buffer[i].ranksBefore(buffer[0]) {
            buffer.swapAt(0, i)
            siftDown(buffer, from: 0, size: k)
        }
    }
    return k
}

/// Orders the best `limit` entries (similarity descending, then article index ascending) at the front and
/// returns how many there are.
///
/// A bounded min-heap over the front of the array keeps the best `limit` seen so far, then a heap sort
/// orders them: O(n log k) time and no allocation (the standard library's sort allocates a merge buffer,
/// which showed up as a third of a 10M-event build).
@inline(__always)
package func topK(_ scored: inout [Ranked], _ limit: Int?) -> Int {
    scored.withUnsafeMutableBufferPointer { topK($0, limit) }
}

/// ``topK(_:_:)-([Ranked],_)`` on a buffer (all of it).
@inline(__always)
package func topK(_ buffer: UnsafeMutableBufferPointer<Ranked>, _ limit: Int?) -> Int {
    let k = selectTop(buffer, limit)
    // Heap sort: repeatedly move the worst to the end of the front part, leaving best first.
    var size = k
    while size > 1 {
        buffer.swapAt(0, size - 1)
        size -= 1
        siftDown(buffer, from: 0, size: size)
    }
    return k
}
