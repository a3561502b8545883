import Foundation
import Testing

@testable import TrendmixStore

/// The worker that writes an import's batches while it reads on: jobs run one at a time in the order handed over,
/// a job's error is thrown by the next `start` or `wait`, once; `stop` ends the thread.
@Suite struct SerialWorkerTests {
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var entries: [Int] = []
        func add(_ i: Int) {
            lock.withLock { entries.append(i) }
        }
    }

    struct Failed: Error, Equatable { let job: Int }

    @Test func jobsRunInOrderOneAtATimeAndTheirErrorsReachTheCaller() throws {
        let worker = SerialWorker()
        defer { worker.stop() }
        let log = Log()
        for i in 0..<50 {
            try worker.start {
                // The later jobs are quick, the first slow: order must not depend on it.
                if i == 0 { Thread.sleep(forTimeInterval: 0.05) }
                log.add(i)
            }
        }
        try worker.wait()
        #expect(log.entries == Array(0..<50))
        try worker.start { throw Failed(job: 50) }
        #expect(throws: Failed(job: 50)) { try worker.start { log.add(51) } }
        try worker.wait()
        #expect(log.entries.last == 49)
        try worker.start { log.add(52) }
        try worker.wait()
        #expect(log.entries.last == 52)
    }

    @Test func stopWaitsForTheJobInHand() throws {
        let worker = SerialWorker()
        let log = Log()
        try worker.start {
            Thread.sleep(forTimeInterval: 0.05)
            log.add(1)
        }
        worker.stop()
        #expect(log.entries == [1])
        worker.stop()
    }
}
