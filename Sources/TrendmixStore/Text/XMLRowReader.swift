/// A streaming reader for the XML shape of Stack Exchange data dumps: a root element holding one
/// self-closing `<row attribute="value" ... />` element per record.
///
/// It checks what matters for not losing data silently: the document must close its root element
/// (a truncated file is an error naming the last complete row), attribute syntax must be well formed,
/// entities must be known, and attribute values must be valid UTF-8. It does not build a tree:
/// memory is one row, whatever the file's size.
final class XMLRowReader {
    let path: String
    private let source: ByteSource
    private(set) var rootName = ""
    /// The 1-based line on which the current row starts.
    private(set) var rowLine = 0
    /// How many rows have been read, the current one included.
    private(set) var rowIndex = 0
    private var line = 1
    private var started = false
    private var finished = false
    private var row: [UInt8] = []
    /// Attribute name and raw (still escaped) value ranges within `row`.
    private var attributes: [(name: Range<Int>, value: Range<Int>)] = []
    let maxRowBytes: Int

    init(path: String, maxRowBytes: Int = 16 << 20, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.source = try ByteSource(path: path, chunkSize: chunkSize)
        self.maxRowBytes = maxRowBytes
    }

    var fileSize: Int64 { source.size }
    var bytesRead: Int64 { source.offset }

    /// Where the current row is, for error messages.
    var location: SourceLocation {
        SourceLocation(file: path, line: rowLine, element: "row #\(rowIndex) of <\(rootName)>")
    }

    private func malformed(_ reason: String) -> ImportError {
        .malformed(SourceLocation(file: path, line: line), reason: reason)
    }

    private func skipWhitespace() throws {
        while let b = try source.peek(), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
            if b == 0x0A { line += 1 }
            _ = try source.next()
        }
    }

    /// Consumes bytes through `terminator` (e.g. `?>` or `-->`).
    private func skip(through terminator: [UInt8], what: String) throws {
        var matched = 0
        while matched < terminator.count {
            guard let b = try source.next() else { throw malformed("the file ends inside \(what)") }
            if b == 0x0A { line += 1 }
            matched = b == terminator[matched] ? matched + 1 : (b == terminator[0] ? 1 : 0)
        }
    }

    private func readName() throws -> String {
        var name: [UInt8] = []
        while let b = try source.peek(), Self.isNameByte(b) {
            name.append(b)
            _ = try source.next()
        }
        return String(decoding: name, as: UTF8.self)
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
            || b == 0x2D || b == 0x2E || b == 0x3A || b >= 0x80
    }

    /// Reads the prolog up to and including the root's start tag.
    private func start() throws {
        try source.skipByteOrderMark()
        guard try source.refill() else { throw ImportError.empty(file: path) }
        while true {
            try skipWhitespace()
            guard let first = try source.next() else {
                throw malformed("no root element: the file has no XML content")
            }
            guard first == UInt8(ascii: "<") else { throw malformed("expected '<' to start the document") }
            guard let second = try source.peek() else { throw malformed("the file ends inside a tag") }
            if second == UInt8(ascii: "?") {
                try skip(through: Array("?>".utf8), what: "the XML declaration")
                continue
            }
            if second == UInt8(ascii: "!") {
                try skip(through: Array(">".utf8), what: "a comment or declaration")
                continue
            }
            rootName = try readName()
            guard !rootName.isEmpty else { throw malformed("expected the root element's name after '<'") }
            try skip(through: [UInt8(ascii: ">")], what: "the <\(rootName)> start tag")
            return
        }
    }

    /// Reads the next `<row .../>`. Returns `false` after the root element's end tag.
    func next() throws -> Bool {
        if !started {
            started = true
            try start()
        }
        if finished { return false }
        while true {
            try skipWhitespace()
            guard let lt = try source.next() else {
                throw malformed(
                    "the file ends before </\(rootName)>: it is truncated after row #\(rowIndex)")
            }
            guard lt == UInt8(ascii: "<") else {
                throw malformed("unexpected text between rows (after row #\(rowIndex))")
            }
            guard let b = try source.peek() else {
                throw malformed("the file ends inside a tag: it is truncated after row #\(rowIndex)")
            }
            if b == UInt8(ascii: "!") {
                try skip(through: Array("-->".utf8), what: "a comment")
                continue
            }
            if b == UInt8(ascii: "/") {
                _ = try source.next()
                let name = try readName()
                guard name == rootName else {
                    throw malformed("closing tag </\(name)> does not match <\(rootName)>")
                }
                try skipWhitespace()
                guard try source.next() == UInt8(ascii: ">") else { throw malformed("expected '>' after </\(name)") }
                try skipWhitespace()
                if try source.peek() != nil { throw malformed("content after the closing </\(rootName)> tag") }
                finished = true
                return false
            }
            rowLine = line
            let name = try readName()
            guard name == "row" else {
                throw malformed("expected a <row> element in <\(rootName)>, found <\(name)>")
            }
            rowIndex += 1
            try readAttributes()
            return true
        }
    }

    private func truncated() -> ImportError {
        .malformed(
            SourceLocation(file: path, line: rowLine, element: "row #\(rowIndex) of <\(rootName)>"),
            reason: "the file ends inside this row: it is truncated")
    }

    private func readAttributes() throws {
        row.removeAll(keepingCapacity: true)
        attributes.removeAll(keepingCapacity: true)
        while true {
            try skipWhitespace()
            guard let b = try source.next() else { throw truncated() }
            if b == UInt8(ascii: "/") {
                guard let gt = try source.next() else { throw truncated() }
                guard gt == UInt8(ascii: ">") else { throw malformed("expected '/>' to close row #\(rowIndex)") }
                return
            }
            if b == UInt8(ascii: ">") {
                // `<row ...></row>`: the same empty element written with an end tag.
                try skipWhitespace()
                for expected in Array("</row".utf8) {
                    guard let c = try source.next() else { throw truncated() }
                    guard c == expected else {
                        throw malformed("row #\(rowIndex) must be empty: expected </row> after its start tag")
                    }
                }
                try skipWhitespace()
                guard let gt = try source.next() else { throw truncated() }
                guard gt == UInt8(ascii: ">") else { throw malformed("expected '>' to end </row") }
                return
            }
            guard Self.isNameByte(b) else {
                throw malformed("unexpected character '\(Unicode.Scalar(b))' in row #\(rowIndex)")
            }
            let nameStart = row.count
            row.append(b)
            while let c = try source.peek(), Self.isNameByte(c) {
                row.append(c)
                _ = try source.next()
            }
            let nameRange = nameStart..<row.count
            try skipWhitespace()
            guard let eq = try source.next() else { throw truncated() }
            guard eq == UInt8(ascii: "=") else {
                throw malformed("attribute '\(String(decoding: row[nameRange], as: UTF8.self))' has no value")
            }
            try skipWhitespace()
            guard let quote = try source.next() else { throw truncated() }
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw malformed("the value of '\(String(decoding: row[nameRange], as: UTF8.self))' is not quoted")
            }
            let valueStart = row.count
            try readValue(until: quote)
            // XML forbids an attribute given twice; which one a reader takes would be a guess.
            for other in attributes where other.name.count == nameRange.count {
                if row[other.name].elementsEqual(row[nameRange]) {
                    throw malformed("attribute '\(String(decoding: row[nameRange], as: UTF8.self))' is given twice")
                }
            }
            attributes.append((nameRange, valueStart..<row.count))
            if row.count > maxRowBytes {
                throw ImportError.malformed(location, reason: "the row is longer than the \(maxRowBytes)-byte limit")
            }
        }
    }

    private func readValue(until quote: UInt8) throws {
        while true {
            if source.start == source.end {
                guard try source.refill() else { throw truncated() }
            }
            let bytes = source.bytes
            var i = source.start
            while i < source.end {
                let b = bytes[i]
                if b == quote || b == UInt8(ascii: "<") { break }
                if b == 0x0A { line += 1 }
                i += 1
            }
            row.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[source.start..<i]))
            source.consume(i - source.start)
            if i < source.end {
                if bytes[i] == UInt8(ascii: "<") {
                    throw malformed("'<' inside an attribute value of row #\(rowIndex) (it must be written &lt;)")
                }
                source.consume(1)
                return
            }
        }
    }

    /// The decoded value of attribute `name` of the current row, or `nil` when the row lacks it.
    /// - Throws: ``ImportError/invalidField(_:field:value:reason:)`` for an unknown entity or invalid UTF-8.
    func value(_ name: String) throws -> String? {
        var key = name
        return try key.withUTF8 { key -> String? in
            for attribute in attributes where attribute.name.count == key.count {
                let matches = row.withUnsafeBufferPointer { rowBytes in
                    memcmpEqual(UnsafeBufferPointer(rebasing: rowBytes[attribute.name]), key)
                }
                if matches { return try decode(attribute.value, field: name) }
            }
            return nil
        }
    }

    /// Names of the current row's attributes, in order.
    var attributeNames: [String] {
        attributes.map { String(decoding: row[$0.name], as: UTF8.self) }
    }

    private func decode(_ range: Range<Int>, field: String) throws -> String {
        let raw = row[range]
        guard raw.contains(UInt8(ascii: "&")) else {
            guard
                let s = row.withUnsafeBufferPointer({
                    String(validating: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self)
                })
            else { throw invalid(field, raw, "not valid UTF-8") }
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            guard let semicolon = raw[i...].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 12 else {
                throw invalid(field, raw, "an '&' that starts no entity (write &amp;)")
            }
            let entity = String(decoding: raw[(i + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var code: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    code = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    code = UInt32(entity.dropFirst(1), radix: 10)
                }
                guard let code, let scalar = Unicode.Scalar(code), code != 0 else {
                    throw invalid(field, raw, "unknown entity &\(entity);")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw invalid(field, raw, "not valid UTF-8") }
        return s
    }

    private func invalid(_ field: String, _ raw: ArraySlice<UInt8>, _ reason: String) -> ImportError {
        .invalidField(location, field: field, value: String(decoding: raw, as: UTF8.self), reason: reason)
    }
}

private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
