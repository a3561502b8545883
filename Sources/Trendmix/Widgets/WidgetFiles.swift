import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

// The widget job's file writing: files opened relative to a folder, the JSON Lines file written in chunk order,
// and writes that report the system's reason.

/// An open folder that files are written into by relative path.
final class Folder: Sendable {
    let path: String
    let fd: Int32

    init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WidgetError.cannotWrite(path, reason: describe(errno: errno)) }
    }

    deinit { close(fd) }

    /// Writes a small file, usually in one system call.
    func writeFile(_ name: String, _ bytes: ArraySlice<UInt8>) throws {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw WidgetError.cannotWrite(path + "/" + name, reason: describe(errno: errno)) }
        let code = writeAll(file, bytes)
        // close reports a deferred write error (NFS, quotas) that write did not.
        let closed = close(file) == 0 ? 0 : errno
        guard code == 0, closed == 0 else {
            throw WidgetError.cannotWrite(path + "/" + name, reason: describe(errno: code != 0 ? code : closed))
        }
    }
}

/// The article chunks' JSON lines, appended to one file in chunk order as chunks finish (a chunk that finishes
/// early waits in memory for the ones before it).
final class OrderedLines: Sendable {
    private struct State {
        var next = 0
        var waiting: [Int: (end: Int, bytes: [UInt8])] = [:]
        var failed = false
        var error: Int32 = 0
    }

    private let fd: Int32
    private let state = Mutex(State())

    init(fd: Int32) { self.fd = fd }

    /// Queues the lines of the articles in `range` and writes every queued chunk that is next in order.
    /// - Returns: false once the run has failed (nothing is queued then).
    func add(_ range: Range<Int>, _ bytes: [UInt8]) -> Bool {
        state.withLock { s in
            guard !s.failed else { return false }
            s.waiting[range.lowerBound] = (range.upperBound, bytes)
            while !s.failed, let chunk = s.waiting.removeValue(forKey: s.next) {
                let code = writeAll(fd, chunk.bytes[...])
                if code != 0 {
                    s.failed = true
                    s.error = code
                }
                s.next = chunk.end
            }
            if s.failed { s.waiting = [:] }
            return !s.failed
        }
    }

    /// Marks the run as failed and drops what waits.
    func fail() {
        state.withLock { s in
            s.failed = true
            s.waiting = [:]
        }
    }

    var hasFailed: Bool { state.withLock { $0.failed } }

    /// The `errno` of the failed write, or EIO when none was recorded.
    var writeError: Int32 { state.withLock { $0.error == 0 ? EIO : $0.error } }

    /// Whether the lines of articles 0..<count are all written.
    func isComplete(_ count: Int) -> Bool { state.withLock { !$0.failed && $0.next == count && $0.waiting.isEmpty } }
}

/// Writes all of `bytes` to `fd`.
/// - Returns: 0, or the `errno` of the failed write (EIO for a write that wrote nothing).
func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int32 {
    bytes.withUnsafeBytes { buffer -> Int32 in
        var offset = 0
        while offset < buffer.count {
            guard let base = buffer.baseAddress else { return 0 }
            let n = Glibc.write(fd, base + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 { return EIO }
            offset += n
        }
        return 0
    }
}
