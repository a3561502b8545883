/// A growing UTF-8 byte buffer with the appends the renderers need: raw text, JSON string literals, HTML-escaped
/// text and numbers. JSON is written exactly as `JSONEncoder` writes it with `.withoutEscapingSlashes` (the
/// wire vocabulary, docs/wire-format.md; `WireFormatTests` compare the bytes): `"`, `\`, `\b`, `\f`, `\n`, `\r`
/// and `\t` as short escapes, other control characters as `\u00xx`, everything else (U+2028 and U+2029 too, legal
/// in JavaScript strings since ES2019) as UTF-8.
public struct UTF8Output: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(byte: UInt8) { bytes.append(byte) }

    /// A JSON string literal, or `null` for nil. Runs that need no escape are copied whole: most titles and
    /// explanations are one run.
    public mutating func quoted(_ s: String?) {
        guard var text = s else {
            append("null")
            return
        }
        text.withUTF8 { input in
            bytes.append(0x22)
            var run = 0
            for k in 0..<input.count {
                let b = input[k]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<k]))
                switch b {
                case 0x22: Self.append(&bytes, 0x5C, 0x22)
                case 0x5C: Self.append(&bytes, 0x5C, 0x5C)
                case 0x08: Self.append(&bytes, 0x5C, 0x62)
                case 0x0C: Self.append(&bytes, 0x5C, 0x66)
                case 0x0A: Self.append(&bytes, 0x5C, 0x6E)
                case 0x0D: Self.append(&bytes, 0x5C, 0x72)
                case 0x09: Self.append(&bytes, 0x5C, 0x74)
                default:
                    Self.append(&bytes, 0x5C, 0x75, 0x30, 0x30, Self.hexDigit(b >> 4), Self.hexDigit(b & 15))
                }
                run = k + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<input.count]))
            bytes.append(0x22)
        }
    }

    /// Text escaped for HTML content and double-quoted attributes (`& < > " '`); runs without those are copied
    /// whole.
    public mutating func escaped(_ s: String) {
        var text = s
        text.withUTF8 { input in
            var run = 0
            for k in 0..<input.count {
                let b = input[k]
                guard b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<k]))
                switch b {
                case 0x26: Self.append(&bytes, 0x26, 0x61, 0x6D, 0x70, 0x3B)  // &amp;
                case 0x3C: Self.append(&bytes, 0x26, 0x6C, 0x74, 0x3B)  // &lt;
                case 0x3E: Self.append(&bytes, 0x26, 0x67, 0x74, 0x3B)  // &gt;
                case 0x22: Self.append(&bytes, 0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B)  // &quot;
                default: Self.append(&bytes, 0x26, 0x23, 0x33, 0x39, 0x3B)  // &#39;
                }
                run = k + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<input.count]))
        }
    }

    /// `s` escaped for HTML content and double-quoted attributes, as ``escaped(_:)`` writes it.
    public static func htmlEscaped(_ s: String) -> String {
        var out = UTF8Output(capacity: s.utf8.count + 16)
        out.escaped(s)
        return out.string
    }

    /// Appends a few bytes without building an array of them.
    @inline(__always)
    private static func append(_ bytes: inout [UInt8], _ b: UInt8...) {
        for x in b { bytes.append(x) }
    }

    @inline(__always)
    private static func hexDigit(_ n: UInt8) -> UInt8 { n < 10 ? 0x30 + n : 0x57 + n }

    /// An integer in decimal.
    public mutating func integer(_ n: Int64) {
        if n < 0 { bytes.append(0x2D) }
        digits(n.magnitude)
    }

    /// `x` rounded to three decimals, half away from zero: 1.2346 → "1.235", -0.0049 → "-0.005", -0.0004 →
    /// "0.000"; "?" when not finite or too large for the digits.
    public mutating func threeDecimals(_ x: Double) {
        let scaled = (x * 1000).rounded()
        guard scaled.isFinite, scaled.magnitude < 9e18 else { return append("?") }
        if scaled < 0 { bytes.append(0x2D) }
        digits(Int64(scaled).magnitude, minimum: 4, decimals: 3)
    }

    /// A number rounded to six decimals and written without trailing zeros (`1`, `0.65`, `-0.000005`), the same
    /// text on every platform and the text `JSONEncoder` writes for that value as a `Decimal` (non-finite and huge
    /// values as 0).
    public mutating func number(_ x: Double) {
        guard x.isFinite else { return append("0") }
        let scaled = (x * 1_000_000).rounded()
        guard abs(scaled) < 9e18, scaled != 0 else { return append("0") }
        if scaled < 0 { bytes.append(0x2D) }
        digits(Int64(scaled).magnitude, minimum: 7, decimals: 6)
        while bytes.last == 0x30 { bytes.removeLast() }
        if bytes.last == 0x2E { bytes.removeLast() }
    }

    /// `m` in decimal, zero-padded to `minimum` digits, with a point before the last `decimals` of them. The
    /// digits go least significant first into a fixed buffer (20 at most), then out in order: no array per
    /// number.
    private mutating func digits(_ m: UInt64, minimum: Int = 1, decimals: Int = 0) {
        var m = m
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &buffer) { digits -> Int in
            var c = 0
            repeat {
                digits[c] = UInt8(0x30 + m % 10)
                m /= 10
                c += 1
            } while m > 0
            while c < minimum {
                digits[c] = 0x30
                c += 1
            }
            return c
        }
        withUnsafeBytes(of: &buffer) { digits in
            for i in stride(from: count - 1, through: 0, by: -1) {
                if decimals > 0, i == decimals - 1 { bytes.append(0x2E) }
                bytes.append(digits[i])
            }
        }
    }
}
