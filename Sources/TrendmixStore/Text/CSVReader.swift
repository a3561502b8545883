/// A streaming RFC 4180 reader: quoted fields may hold delimiters, doubled quotes and line breaks.
///
/// Strict where sloppiness hides data loss: a quote inside an unquoted field, text after a closing quote
/// and a quote left open at end of file are errors naming the file and line. A leading UTF-8 byte order
/// mark is skipped, `\r\n` ends a record like `\n`, and blank lines are skipped.
///
/// The current record's fields live in one reused buffer, so reading does not allocate per record.
final class CSVReader {
    let path: String
    private let source: ByteSource
    private let delimiter: UInt8
    private let quoting: Bool
    /// The largest field accepted, in bytes.
    let maxFieldBytes: Int

    /// Unescaped bytes of the current record's fields, back to back.
    private(set) var storage: [UInt8] = []
    /// `storage` end offset of each field of the current record.
    private(set) var fieldEnds: [Int] = []
    /// The 1-based line on which the current record starts.
    private(set) var recordLine = 0
    private var line = 1
    private var started = false

    /// - Parameters:
    ///   - delimiter: the field separator; `,` for CSV, `\t` or `|` for MovieLens 100k.
    ///   - quoting: whether `"` quotes fields (off for MovieLens 100k, whose titles contain bare quotes).
    init(
        path: String, delimiter: UInt8 = UInt8(ascii: ","), quoting: Bool = true, maxFieldBytes: Int = 1 << 20,
        chunkSize: Int = 1 << 20
    ) throws {
        self.path = path
        self.source = try ByteSource(path: path, chunkSize: chunkSize)
        self.delimiter = delimiter
        self.quoting = quoting
        self.maxFieldBytes = maxFieldBytes
        storage.reserveCapacity(4096)
    }

    var fileSize: Int64 { source.size }
    var bytesRead: Int64 { source.offset }
    var count: Int { fieldEnds.count }
    var location: SourceLocation { SourceLocation(file: path, line: recordLine) }

    /// Reads the next record. Returns `false` at end of file.
    func next() throws -> Bool {
        if !started {
            started = true
            try skipByteOrderMark()
        }
        while true {
            storage.removeAll(keepingCapacity: true)
            fieldEnds.removeAll(keepingCapacity: true)
            recordLine = line
            guard let first = try source.peek() else { return false }
            if first == UInt8(ascii: "\n") {
                _ = try source.next()
                line += 1
                continue
            }
            if first == UInt8(ascii: "\r") {
                _ = try source.next()
                if try source.peek() == UInt8(ascii: "\n") {
                    _ = try source.next()
                    line += 1
                    continue
                }
                // A lone carriage return starts a field's content.
                storage.append(UInt8(ascii: "\r"))
            }
            try readRecord()
            return true
        }
    }

    private func skipByteOrderMark() throws {
        try source.skipByteOrderMark()
    }

    private func fieldTooLong() -> ImportError {
        .invalidField(
            SourceLocation(file: path, line: line), field: "field \(fieldEnds.count + 1)",
            value: String(decoding: storage.prefix(40), as: UTF8.self),
            reason: "longer than the \(maxFieldBytes)-byte limit")
    }

    private func readRecord() throws {
        var fieldStart = storage.count - (storage.last == UInt8(ascii: "\r") ? 1 : 0)
        while true {
            // One field.
            if quoting, try source.peek() == UInt8(ascii: "\""), storage.count == fieldStart {
                _ = try source.next()
                try readQuotedField(start: fieldStart)
            } else {
                try readBareField(start: fieldStart)
            }
            fieldEnds.append(storage.count)
            guard let b = try source.next() else { return }
            if b == delimiter {
                fieldStart = storage.count
                continue
            }
            // End of record: `\n` or `\r\n`.
            if b == UInt8(ascii: "\r") { _ = try source.next() }
            line += 1
            return
        }
    }

    /// Reads an unquoted field up to (not including) the delimiter or line end.
    private func readBareField(start: Int) throws {
        while true {
            if source.start == source.end {
                guard try source.refill() else { return }
            }
            let bytes = source.bytes
            var i = source.start
            let end = source.end
            while i < end {
                let b = bytes[i]
                if b == delimiter || b == UInt8(ascii: "\n") { break }
                if b == UInt8(ascii: "\r"), i + 1 < end, bytes[i + 1] == UInt8(ascii: "\n") { break }
                if quoting, b == UInt8(ascii: "\"") {
                    storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[source.start..<i]))
                    source.consume(i - source.start)
                    throw ImportError.malformed(
                        SourceLocation(file: path, line: line),
                        reason: "a quote inside unquoted field \(fieldEnds.count + 1); quote the whole field "
                            + "and double the quotes inside it")
                }
                i += 1
            }
            storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[source.start..<i]))
            source.consume(i - source.start)
            if storage.count - start > maxFieldBytes { throw fieldTooLong() }
            if i < end {
                // A `\r` directly before the line end belongs to the line end.
                if bytes[i] == UInt8(ascii: "\r") {
                    source.consume(1)
                    if try source.peek() == UInt8(ascii: "\n") {
                        return
                    }
                }
                return
            }
            // A `\r` at the very end of a chunk: decide once the next chunk is in.
            if storage.last == UInt8(ascii: "\r"), try source.peek() == UInt8(ascii: "\n") {
                storage.removeLast()
                return
            }
        }
    }

    private func readQuotedField(start: Int) throws {
        let openedOn = line
        while true {
            guard let b = try source.next() else {
                throw ImportError.malformed(
                    SourceLocation(file: path, line: openedOn),
                    reason: "quoted field \(fieldEnds.count + 1) is never closed (end of file reached)")
            }
            if b == UInt8(ascii: "\"") {
                if try source.peek() == UInt8(ascii: "\"") {
                    _ = try source.next()
                    storage.append(b)
                    continue
                }
                // Closing quote: a delimiter, a line end or the end of file must follow.
                guard let after = try source.peek() else { return }
                if after == delimiter || after == UInt8(ascii: "\n") || after == UInt8(ascii: "\r") { return }
                throw ImportError.malformed(
                    SourceLocation(file: path, line: line),
                    reason: "text after the closing quote of field \(fieldEnds.count + 1)")
            }
            if b == UInt8(ascii: "\n") { line += 1 }
            storage.append(b)
            if storage.count - start > maxFieldBytes { throw fieldTooLong() }
        }
    }

    /// Calls `body` with the raw bytes of field `index` of the current record.
    @inline(__always) func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let lo = index == 0 ? 0 : fieldEnds[index - 1]
        let hi = fieldEnds[index]
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    /// Whether field `index` is empty.
    func isEmpty(_ index: Int) -> Bool {
        (index == 0 ? 0 : fieldEnds[index - 1]) == fieldEnds[index]
    }

    /// Field `index` as a string, or `nil` if its bytes are not valid UTF-8.
    func string(_ index: Int) -> String? {
        withField(index, validUTF8String)
    }

    /// Field `index` decoded as ISO 8859-1 (every byte is a character), for MovieLens 100k's `u.item`.
    func latin1(_ index: Int) -> String {
        withField(index) { bytes in
            var s = ""
            s.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
            return s
        }
    }

    /// Field `index` for an error message, whatever its encoding.
    func lossy(_ index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }
}

/// The bytes as a string, or `nil` when they are not valid UTF-8.
///
/// `String(validating:as:)` is generic over the encoding and pays a runtime metadata look-up per call, which
/// showed up at 6 % of a 5M-event import; ASCII (nearly every field) takes the direct path, and anything
/// else is decoded with repair and accepted only if repair changed nothing.
@inline(__always)
func validUTF8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    var ascii = true
    for b in bytes where b >= 0x80 {
        ascii = false
        break
    }
    let s = String(decoding: bytes, as: UTF8.self)
    if ascii { return s }
    return s.utf8.elementsEqual(bytes) ? s : nil
}
