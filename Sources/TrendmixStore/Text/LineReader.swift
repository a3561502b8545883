/// Reads a file line by line (JSON Lines), with a cap on line length.
final class LineReader {
    let path: String
    private let source: ByteSource
    let maxLineBytes: Int
    private(set) var line: [UInt8] = []
    /// The 1-based number of the current line.
    private(set) var lineNumber = 0

    init(path: String, maxLineBytes: Int = 4 << 20) throws {
        self.path = path
        self.source = try ByteSource(path: path)
        self.maxLineBytes = maxLineBytes
    }

    var fileSize: Int64 { source.size }
    var bytesRead: Int64 { source.offset }

    /// Reads the next line without its `\n` (or `\r\n`). Returns `false` at end of file.
    func next() throws -> Bool {
        if lineNumber == 0 && source.offset == 0 && source.end == 0 { try source.skipByteOrderMark() }
        line.removeAll(keepingCapacity: true)
        guard try source.refill() else { return false }
        lineNumber += 1
        while true {
            if source.start == source.end {
                guard try source.refill() else { break }
            }
            let bytes = source.bytes
            var i = source.start
            while i < source.end, bytes[i] != 0x0A { i += 1 }
            line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[source.start..<i]))
            source.consume(i - source.start)
            if line.count > maxLineBytes {
                throw ImportError.malformed(
                    SourceLocation(file: path, line: lineNumber), reason: "line longer than \(maxLineBytes) bytes")
            }
            if i < source.end {
                source.consume(1)
                break
            }
        }
        if line.last == 0x0D { line.removeLast() }
        return true
    }
}
