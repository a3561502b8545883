/// Reports how far an import has read: bytes done and bytes in all, for a progress bar.
public typealias ImportProgress = (_ done: Int64, _ total: Int64) -> Void

/// One input format. An importer parses its files and hands records to a writer; the store runs it in one
/// transaction (see ``ArticleStore/importRecords(dryRun:_:)``).
public protocol Importer {
    /// Parses the input and writes its records.
    /// - Throws: ``ImportError`` naming the file, line and field of the first bad record.
    func run(into writer: any ImportWriter, progress: ImportProgress?) throws
}

extension ArticleStore {
    /// Runs an importer in one transaction: everything it reads is stored, or nothing.
    public func run(
        _ importer: any Importer, dryRun: Bool = false, progress: ImportProgress? = nil
    ) throws
        -> ImportSummary
    {
        try importRecords(dryRun: dryRun) { writer in try importer.run(into: writer, progress: progress) }
    }
}

/// Sums progress over several files read one after another.
final class ProgressTotal {
    private let report: ImportProgress?
    let total: Int64
    private var finished: Int64 = 0
    private var lastReported: Int64 = -1

    init(files sizes: [Int64], report: ImportProgress?) {
        self.report = report
        self.total = max(sizes.reduce(0, +), 1)
    }

    /// Reports `done` bytes of the current file, at most every 256 KiB.
    func update(_ done: Int64) {
        guard let report else { return }
        let now = finished + done
        if now - lastReported >= 1 << 18 || now >= total {
            lastReported = now
            report(now, total)
        }
    }

    /// Marks the current file (of `size` bytes) as read.
    func finishFile(_ size: Int64) {
        finished += size
        update(0)
    }
}

/// The size of a file in bytes, or 0 when it cannot be read (the reader then reports why).
func fileSize(_ path: String) -> Int64 {
    (try? ByteSource(path: path, chunkSize: 16).size) ?? 0
}
