import Foundation

/// Runs jobs one at a time on a thread of its own, so that the caller goes on meanwhile: an import gathers its
/// next batch of events while the last one is written.
///
/// ``start(_:)`` waits for the job before to finish and hands the next over; ``wait()`` waits for the job in hand
/// and throws its error. Whatever a job touches, the caller leaves alone until ``wait()`` returns.
/// ``stop()`` waits, then ends the thread: its owner calls it when done (the thread holds the worker); a worker
/// stopped takes no more jobs.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is locked; a job's
/// effects are seen by the caller after ``wait()`` (the lock orders them). The jobs themselves are not checked:
/// a job and its caller must keep to separate state until ``wait()`` (PostgresImportWriter says which is whose).
final class SerialWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var job: (() throws -> Void)?
    private var busy = false
    private var failure: (any Error)?
    private var stopping = false
    private var started = false
    private var exited = false
    private var thread: Thread?

    /// Waits for the job before, throws its error if it failed (the new job is then not started), else hands
    /// `job` to the thread.
    func start(_ job: @escaping () throws -> Void) throws {
        try wait()
        condition.lock()
        defer { condition.unlock() }
        precondition(!stopping, "a stopped SerialWorker takes no more jobs")
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.stackSize = 1 << 20
            self.thread = thread
            thread.start()
        }
        self.job = job
        busy = true
        condition.broadcast()
    }

    /// Waits for the job in hand, if any, and throws its error (once).
    func wait() throws {
        condition.lock()
        defer { condition.unlock() }
        while busy { condition.wait() }
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    /// Waits for the job in hand (dropping its error) and ends the thread. Called on the thread itself (the job's
    /// owner freed when the job lets go of it), it only asks the thread to end.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        if Thread.current === thread {
            stopping = true
            return
        }
        while busy { condition.wait() }
        stopping = true
        condition.broadcast()
        while started && !exited { condition.wait() }
    }

    private func run() {
        condition.lock()
        while true {
            while job == nil && !stopping { condition.wait() }
            var next = job
            guard next != nil else { break }
            job = nil
            condition.unlock()
            var error: (any Error)?
            do { try next?() } catch let e { error = e }
            // Let go of the job (and what it holds) before taking the lock: freeing its owner may call stop().
            next = nil
            condition.lock()
            failure = error
            busy = false
            condition.broadcast()
        }
        exited = true
        thread = nil
        condition.broadcast()
        condition.unlock()
    }
}
