/// Rows for `COPY … FROM STDIN` (``PostgresConnection/copyIn(_:_:)``): lines of COPY's text format and tuples of
/// its binary format, appended to a byte buffer without a String per field. Their reading counterpart is
/// PostgresCopyOut.swift.

/// Appends `text` as a field of COPY's text format: backslash, tab, line feed and carriage return escaped.
func appendCopyText(_ text: String, to out: inout [UInt8]) {
    for byte in text.utf8 {
        switch byte {
        case 92: out.append(contentsOf: [92, 92])
        case 9: out.append(contentsOf: [92, 116])
        case 10: out.append(contentsOf: [92, 110])
        case 13: out.append(contentsOf: [92, 114])
        default: out.append(byte)
        }
    }
}

/// A field of a line of COPY's text format.
enum CopyField {
    case integer(Int64?)
    case double(Double)
    case text(String?)
}

/// Appends a line of COPY's text format: the fields separated by tabs, then a line feed.
func appendCopyLine(_ fields: [CopyField], to out: inout [UInt8]) {
    for (k, field) in fields.enumerated() {
        if k > 0 { out.append(9) }
        switch field {
        case .integer(let value): appendCopyInteger(value, to: &out)
        case .double(let value): appendCopyDouble(value, to: &out)
        case .text(let value): appendCopyText(value, to: &out)
        }
    }
    out.append(10)
}

/// Appends `text` as a field of COPY's text format, or its NULL (`\N`).
func appendCopyText(_ text: String?, to out: inout [UInt8]) {
    if let text { appendCopyText(text, to: &out) } else { out.append(contentsOf: [92, 78]) }
}

/// Appends `value` as a field of COPY's text format, or its NULL (`\N`).
func appendCopyInteger(_ value: Int64?, to out: inout [UInt8]) {
    if let value { appendCopyInteger(value, to: &out) } else { out.append(contentsOf: [92, 78]) }
}

/// Appends `value` in decimal, as COPY's text format reads an integer.
func appendCopyInteger(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 {
        out.append(45)
        if value == .min {
            out.append(contentsOf: Array("9223372036854775808".utf8))
            return
        }
    }
    var magnitude = value.magnitude
    var digits:
        (
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
        ) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
        repeat {
            buffer[19 - count] = UInt8(48 + magnitude % 10)
            magnitude /= 10
            count += 1
        } while magnitude > 0
        out.append(contentsOf: buffer[(20 - count)...])
    }
}

/// Appends `value` as COPY's text format reads a double: whole values in decimal, others in Swift's shortest
/// round-trip digits, the special values in PostgreSQL's spelling.
func appendCopyDouble(_ value: Double, to out: inout [UInt8]) {
    if value == value.rounded(), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
        appendCopyInteger(Int64(value), to: &out)
    } else {
        out.append(contentsOf: value.postgresText.utf8)
    }
}

/// COPY's binary format (PostgreSQL's documentation, "COPY", "Binary Format"): a signature, then for each row its
/// number of fields and each field as a 32-bit length (-1 for NULL) and the value in network byte order, then a
/// trailer. Each field must be of its column's very type.
enum BinaryCopy {
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 13, 10, 0] + [0, 0, 0, 0] + [0, 0, 0, 0]
    static let trailer: [UInt8] = [0xFF, 0xFF]

    static func tuple(_ fields: Int16, to out: inout [UInt8]) { append(UInt16(bitPattern: fields), to: &out) }

    /// A `bigint`.
    static func int64(_ value: Int64?, to out: inout [UInt8]) {
        guard let value else { return null(to: &out) }
        append(UInt32(8), to: &out)
        append(UInt64(bitPattern: value), to: &out)
    }

    /// An `integer`.
    static func int32(_ value: Int32, to out: inout [UInt8]) {
        append(UInt32(4), to: &out)
        append(UInt32(bitPattern: value), to: &out)
    }

    /// A `double precision`, to the bit.
    static func double(_ value: Double, to out: inout [UInt8]) {
        append(UInt32(8), to: &out)
        append(value.bitPattern, to: &out)
    }

    /// A `text`: its UTF-8 bytes.
    static func text(_ value: String?, to out: inout [UInt8]) {
        guard var value else { return null(to: &out) }
        value.withUTF8 { bytes in
            append(UInt32(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        }
    }

    private static func null(to out: inout [UInt8]) { append(UInt32.max, to: &out) }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }
}
