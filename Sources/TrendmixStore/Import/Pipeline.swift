import Foundation

/// Runs a parser on a second thread while the caller's thread stores what it produced, so that parsing and
/// SQLite's work overlap on two cores.
///
/// Items travel in batches through a bounded queue (memory stays flat). The consumer sees items in the
/// producer's order, then the producer's error if it failed, so the error reported is always the one for
/// the earliest record. If the consumer throws, the producer is stopped and joined before the error
/// propagates: no thread outlives the call.
enum Pipeline {
    /// - Parameters:
    ///   - batchSize: items per hand-over.
    ///   - produce: runs on a new thread; calls `emit` for each item, in order.
    ///   - consume: runs on the calling thread for each item.
    static func run<Item: Sendable>(
        batchSize: Int = 4096,
        produce: @escaping @Sendable (_ emit: (Item) throws -> Void) throws -> Void,
        consume: (Item) throws -> Void
    ) throws {
        let queue = BatchQueue<Item>(capacity: 4)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var batch: [Item] = []
            batch.reserveCapacity(batchSize)
            do {
                try produce { item in
                    batch.append(item)
                    if batch.count == batchSize {
                        guard queue.put(batch) else { throw CancellationError() }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = queue.put(batch) }
                queue.finish(error: nil)
            } catch is CancellationError {
                queue.finish(error: nil)
            } catch {
                if !batch.isEmpty { _ = queue.put(batch) }
                queue.finish(error: error)
            }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        do {
            while let batch = try queue.take() {
                for item in batch { try consume(item) }
            }
        } catch {
            queue.cancel()
            done.wait()
            throw error
        }
        done.wait()
    }
}

/// A bounded FIFO of batches between one producer and one consumer.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is locked.
private final class BatchQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    private var error: (any Error)?

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds a batch, waiting while the queue is full. Returns `false` once the consumer has cancelled.
    func put(_ batch: [Item]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Ends the stream, with the producer's error if it failed.
    func finish(error: (any Error)?) {
        condition.lock()
        finished = true
        self.error = error
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the producer: its next `put` returns `false`.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; `nil` at the end of the stream. Throws the producer's error after its last batch.
    func take() throws -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while head == batches.count && !finished { condition.wait() }
        if head < batches.count {
            let batch = batches[head]
            head += 1
            if head > 64 {
                batches.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return batch
        }
        if let error { throw error }
        return nil
    }
}
