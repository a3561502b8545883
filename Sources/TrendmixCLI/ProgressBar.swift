import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
/// `@unchecked Sendable`: the widget job calls `update` from several threads, but never concurrently (it holds a
/// lock around the call), and `finish` runs after the job.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private var lastPercent = -1
    private let started = Date()

    init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) == 1
    }

    func update(done: Int64, total: Int64) {
        guard enabled, total > 0 else { return }
        let percent = Int(min(100, done * 100 / total))
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% \(String(format: "%.1f", elapsed))s".utf8))
    }

    func finish() {
        guard enabled, lastPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
