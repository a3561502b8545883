import CTrendmixLibc
import Foundation
import Testing
import Trendmix

/// Issue 23: a server loads a new model on a thread of its own at nice 10, so that the requests' threads keep
/// the cores while it loads; the threads that answer requests keep their priority.
struct LowPriorityExecutorTests {
    /// The running thread's name (synchronous: `Thread.current` is not offered to async code).
    static func threadName() -> String? { Thread.current.name }

    @Test func workRunsOnItsOwnThreadAtNiceTenAndReturnsItsResult() async throws {
        let before = trendmix_thread_priority()
        let (name, thread, priority, sum) = try await LowPriorityExecutor.modelLoads.run {
            (Self.threadName(), trendmix_thread_id(), trendmix_thread_priority(), (1...100).reduce(0, +))
        }
        #expect(thread == LowPriorityExecutor.modelLoads.threadID, "ran on \(name ?? "a thread without a name")")
        #expect(name == "trendmix-loads")
        #expect(priority == 10)
        #expect(sum == 5050)
        #expect(trendmix_thread_priority() == before, "the caller's thread kept its priority")
        // Errors come back to the caller, and the thread goes on to the next job.
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await LowPriorityExecutor.modelLoads.run { throw Refused() } }
        #expect(try await LowPriorityExecutor.modelLoads.run { 7 } == 7)
    }
}
