import Dispatch

/// Splits `0..<count` into contiguous chunks and runs `body` on them on all cores, returning the chunks'
/// results in chunk order, so the output does not depend on thread timing.
///
/// - Parameters:
///   - count: the number of items.
///   - chunks: how many pieces to cut (more pieces than cores balance uneven work).
///   - body: computes one chunk's result; must touch only its own range and the values it captures
///     immutably.
package func parallelMap<Result: Sendable>(
    count: Int, chunks: Int = 64, _ body: @Sendable (Range<Int>) -> Result
) -> [Result] {
    let pieces = max(1, min(chunks, count))
    let results = ResultSlots<Result>(count: pieces)
    DispatchQueue.concurrentPerform(iterations: pieces) { piece in
        let lower = count * piece / pieces
        let upper = count * (piece + 1) / pieces
        results.set(piece, body(lower..<upper))
    }
    return results.values()
}

/// Write-once slots filled from several threads.
///
/// `@unchecked Sendable`: each slot is written by exactly one `concurrentPerform` iteration and read only
/// after `concurrentPerform` has returned, which orders the writes before the reads. The slots are one buffer
/// allocated up front, never an array property: `Array.withUnsafeMutableBufferPointer` on a shared array moves
/// the array out of the property for the closure's duration, so two threads writing at once could lose a write
/// ("a parallel chunk produced no result", seen in the test suite) or write into the empty array left behind.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Value) {
        slots[index] = value
    }

    func values() -> [Value] {
        slots.map { value in
            guard let value else { preconditionFailure("a parallel chunk produced no result") }
            return value
        }
    }
}
