/// Parses the time formats partner exports use, straight from UTF-8 bytes (no `Foundation` formatter on
/// the import hot path).
///
/// Accepted forms:
/// - Unix seconds as an integer (`1465413032`), or with a fraction (`1465413032.5`);
/// - ISO 8601 date and time: `2020-05-31T01:40:47`, `2020-05-31 01:40:47.307`, with an optional
///   fraction of up to 9 digits (truncated to milliseconds) and an optional zone (`Z`, `+02:00`, `-0530`);
///   a time without a zone is UTC (Stack Exchange dumps write UTC without a zone);
/// - an ISO 8601 date alone (`2020-05-31`), meaning midnight UTC.
public enum TimestampParser {
    /// Parses `bytes` or returns `nil` when they are not one of the accepted forms or the instant lies
    /// outside 1900-2200.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard !bytes.isEmpty else { return nil }
        let result: Timestamp?
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            result = parseISO(bytes)
        } else {
            result = parseUnix(bytes)
        }
        guard let result, result.isInAcceptedRange else { return nil }
        return result
    }

    /// Parses a string; see ``parse(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func parse(_ string: String) -> Timestamp? {
        var copy = string
        return copy.withUTF8 { parse($0) }
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int64? {
        guard from + count <= b.count else { return nil }
        var v: Int64 = 0
        for i in from..<(from + count) {
            let d = b[i] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        return v
    }

    private static func parseUnix(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        var seconds: Int64 = 0
        var sawDigit = false
        while i < b.count, b[i] != UInt8(ascii: ".") {
            let d = b[i] &- 48
            guard d < 10, seconds < 100_000_000_000 else { return nil }
            seconds = seconds * 10 + Int64(d)
            sawDigit = true
            i += 1
        }
        guard sawDigit else { return nil }
        var ms: Int64 = 0
        if i < b.count {
            i += 1
            var scale: Int64 = 100
            guard i < b.count else { return nil }
            while i < b.count {
                let d = b[i] &- 48
                guard d < 10 else { return nil }
                ms += Int64(d) * scale
                scale /= 10
                i += 1
            }
        }
        let total = seconds * 1000 + ms
        return Timestamp(milliseconds: negative ? -total : total)
    }

    private static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard let year = digits(b, 0, 4), b[7] == UInt8(ascii: "-"),
            let month = digits(b, 5, 2), let day = digits(b, 8, 2)
        else { return nil }
        if b.count == 10 {
            return Timestamp(year: year, month: month, day: day)
        }
        guard b.count >= 19, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
            let hour = digits(b, 11, 2), b[13] == UInt8(ascii: ":"),
            let minute = digits(b, 14, 2), b[16] == UInt8(ascii: ":"),
            let second = digits(b, 17, 2)
        else { return nil }
        var i = 19
        var ms: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var scale: Int64 = 100
            let start = i
            while i < b.count, b[i] &- 48 < 10 {
                ms += Int64(b[i] &- 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start, i - start <= 9 else { return nil }
        }
        var offsetMinutes: Int64 = 0
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard i + 1 == b.count else { return nil }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
                guard let oh = digits(b, i + 1, 2), oh <= 23 else { return nil }
                var j = i + 3
                if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
                guard let om = digits(b, j, 2), om <= 59, j + 2 == b.count else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
            default:
                return nil
            }
        }
        guard second <= 59,
            let local = Timestamp(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: ms)
        else { return nil }
        return Timestamp(milliseconds: local.milliseconds - offsetMinutes * 60_000)
    }
}
