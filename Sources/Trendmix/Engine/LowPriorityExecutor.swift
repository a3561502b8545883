import CTrendmixLibc
import Dispatch
import Foundation
import Synchronization

/// A task executor on one thread of its own, at a lower scheduling priority than the threads that answer
/// requests, for work that may wait for them: loading a newly built model beside the one being served. On two
/// cores a model load at the requests' priority took its share of both while they queued behind it.
///
/// Linux gives each thread its own nice value, and a thread may lower its priority but not raise it back without
/// privileges, so the thread is kept for this work alone rather than borrowed from a pool.
public final class LowPriorityExecutor: TaskExecutor, Sendable {
    /// Model loads in a server (``LiveEngine/reloadIfChanged()``), at nice 10.
    public static let modelLoads = LowPriorityExecutor(name: "trendmix-loads", nice: 10)

    private let jobs = Mutex<[UnownedJob]>([])
    private let kernelID = Mutex<Int>(0)
    /// The kernel id of the executor's thread (0 until it has started, and off Linux).
    public var threadID: Int { kernelID.withLock { $0 } }
    private let ready = DispatchSemaphore(value: 0)

    /// - Parameter name: the thread's name, at most 15 bytes (Linux's limit: a longer one is not set).
    private init(name: String, nice: Int32) {
        let thread = Thread { [self] in
            Thread.current.name = name
            kernelID.withLock { $0 = trendmix_thread_id() }
            _ = trendmix_lower_thread_priority(nice)
            while true {
                ready.wait()
                guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    /// Runs `body` on this executor's thread and returns its result to the caller's.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try await body() }
    }
}
