import Dispatch

/// A task executor over Dispatch threads, for the store's blocking calls (SQLite statements, a write waiting for
/// another process's lock, a model load of a million rows), so that they never hold one of the few threads of
/// Swift's cooperative pool, which every request of a server shares: on two cores, two POSTs waiting for a
/// `trendmix build`'s write lock stalled every request, `/healthz` included, for seconds (issue 23).
///
/// `writes` is serial (a server stores one batch at a time: queued batches wait as jobs, not as blocked threads);
/// `reads` is concurrent. Work runs there through `withTaskExecutorPreference(_:operation:)`, which also
/// carries the nonisolated async calls inside (a store's `async` model load).
public final class StoreExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: the queue is immutable and thread-safe.
    private let queue: DispatchQueue

    /// Writes to the store, one at a time.
    public static let writes = StoreExecutor(label: "trendmix.store.writes", concurrent: false)
    /// Reads from the store and model loads, several at a time.
    public static let reads = StoreExecutor(label: "trendmix.store.reads", concurrent: true)

    private init(label: String, concurrent: Bool) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: concurrent ? .concurrent : [])
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `work` on this executor's threads, after the work submitted before it (on `writes`).
    public func submit(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }

    /// Runs `body` on this executor's threads and returns its result to the caller's.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try await body() }
    }
}
