import ArgumentParser
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The signal (SIGINT or SIGTERM) that asked a long job to stop, 0 while none has.
private let pendingSignal = Atomic<Int32>(0)

/// Lets a long job stop cleanly on SIGINT or SIGTERM: the first signal sets a flag the job polls, so it removes
/// what it half-wrote before it exits; a second one exits at once.
enum Interruption {
    /// Runs `body` with the handlers installed; `isCancelled` answers whether a signal came. The default handlers
    /// are restored afterwards, and a job that stopped on a signal exits with 128 + the signal's number.
    static func whileRunning<T>(_ body: (_ isCancelled: @escaping @Sendable () -> Bool) throws -> T) throws -> T {
        pendingSignal.store(0, ordering: .relaxed)
        let handler: @convention(c) (Int32) -> Void = { signal in
            // Only async-signal-safe calls here: an atomic exchange and _exit.
            if pendingSignal.exchange(signal, ordering: .relaxed) != 0 { _exit(128 + signal) }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        defer {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        do {
            return try body { pendingSignal.load(ordering: .relaxed) != 0 }
        } catch {
            let received = pendingSignal.load(ordering: .relaxed)
            if received != 0 {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(128 + received)
            }
            throw error
        }
    }
}
