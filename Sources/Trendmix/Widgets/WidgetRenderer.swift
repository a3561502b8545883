import TrendmixCore

/// Renders widgets as JSON (schema `trendmix-widget/1`, docs/widgets.md) and as HTML fragments.
///
/// Both are written by hand rather than through `JSONEncoder`: a million widgets must render in seconds, and the
/// output must be byte-identical for the same input (keys in a fixed order, numbers with six decimals).
public enum WidgetRenderer {
    public static let schema = "trendmix-widget/1"

    // MARK: JSON

    /// The widget as one line of JSON (no trailing newline).
    public static func json(_ w: Widget) -> String {
        var out = UTF8Output()
        json(w, into: &out)
        return out.string
    }

    /// Appends the widget's JSON line (no trailing newline) to `out`.
    ///
    /// Everything is appended to one byte buffer: building the line from many small strings (one allocation per
    /// quoted value) was a fifth of the per-article widget job.
    public static func json(_ w: Widget, into out: inout UTF8Output) {
        out.append("{\"schema\":")
        out.quoted(schema)
        out.append(",\"kind\":")
        out.quoted(w.kind.rawValue)
        out.append(",\"host\":{\"slug\":")
        out.quoted(w.host.slug)
        out.append(",\"name\":")
        out.quoted(w.host.name)
        out.append(",\"url\":")
        out.quoted(w.host.baseURL)
        out.append("}")
        if let a = w.article {
            out.append(",\"article\":{\"id\":")
            out.quoted(a.id)
            out.append(",\"title\":")
            out.quoted(a.title)
            out.append(",\"url\":")
            out.quoted(a.url)
            out.append("}")
        }
        out.append(",\"heading\":")
        out.quoted(w.heading)
        out.append(",\"generated_at\":")
        out.quoted(w.generatedAt.iso8601)
        out.append(",\"model\":{\"built_for\":")
        out.quoted(w.modelBuiltFor.iso8601)
        out.append(",\"configuration_hash\":")
        out.quoted(w.configurationHash)
        out.append("},\"items\":[")
        for (i, item) in w.items.enumerated() {
            if i > 0 { out.append(byte: 0x2C) }
            json(item, explanation: true, into: &out)
        }
        out.append("]}")
    }

    /// One item as a JSON object: article, title, url, site, site_name, tag, score, reason and, when asked, the
    /// explanation (the widget schema's item, and the HTTP API's).
    public static func json(_ item: RecommendedItem, explanation: Bool, into out: inout UTF8Output) {
        out.append("{\"article\":")
        out.quoted(item.article)
        out.append(",\"title\":")
        out.quoted(item.title)
        out.append(",\"url\":")
        out.quoted(item.url)
        out.append(",\"site\":")
        out.quoted(item.site)
        out.append(",\"site_name\":")
        out.quoted(item.siteName)
        out.append(",\"tag\":")
        out.quoted(item.tag)
        out.append(",\"score\":")
        out.number(item.score)
        out.append(",\"reason\":")
        out.quoted(item.reason)
        if explanation {
            out.append(",\"explanation\":")
            out.quoted(item.explanation)
        }
        out.append("}")
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; everything else as UTF-8.
    static func quote(_ s: String) -> String {
        var out = UTF8Output()
        out.quoted(s)
        return out.string
    }

    /// A number with six decimals, the same text on every platform.
    static func number(_ x: Double) -> String {
        var out = UTF8Output()
        out.number(x)
        return out.string
    }

    // MARK: HTML

    /// The widget as an HTML fragment in the layout of the partner sites' box: a heading, then items each with
    /// an optional tag label, the linked title and the site name. Every text and attribute is escaped; only
    /// http(s) URLs become links. Class names start with `trendmix-` so a site can style them.
    public static func html(_ w: Widget) -> String {
        var out = UTF8Output()
        html(w, into: &out)
        return out.string
    }

    /// Appends the widget's HTML fragment to `out`.
    public static func html(_ w: Widget, into out: inout UTF8Output) {
        out.append("<aside class=\"trendmix-widget trendmix-for-")
        out.append(w.kind.rawValue)
        out.append("\" data-host=\"")
        out.escaped(w.host.slug)
        out.append("\"")
        if let a = w.article {
            out.append(" data-article=\"")
            out.escaped(a.id)
            out.append("\"")
        }
        out.append(">\n  <h2 class=\"trendmix-heading\">")
        out.escaped(w.heading)
        out.append("</h2>\n  <ol class=\"trendmix-items\">\n")
        for item in w.items {
            out.append("    <li class=\"trendmix-item\" data-site=\"")
            out.escaped(item.site)
            out.append("\" data-reason=\"")
            out.escaped(item.reason)
            out.append("\">")
            if let tag = item.tag {
                out.append("<span class=\"trendmix-tag\">")
                out.escaped(tag)
                out.append("</span> ")
            }
            if let url = item.url, let safe = safeURL(url) {
                out.append("<a class=\"trendmix-title\" href=\"")
                out.escaped(safe)
                out.append("\">")
                out.escaped(item.title ?? item.article)
                out.append("</a>")
            } else {
                out.append("<span class=\"trendmix-title\">")
                out.escaped(item.title ?? item.article)
                out.append("</span>")
            }
            out.append(" <span class=\"trendmix-site\">")
            out.escaped(item.siteName)
            out.append("</span></li>\n")
        }
        out.append("  </ol>\n</aside>\n")
    }

    /// Escapes text for HTML content and double-quoted attributes (`& < > " '`), on UTF-8 bytes.
    public static func escape(_ s: String) -> String {
        var out = UTF8Output()
        out.escaped(s)
        return out.string
    }

    /// The URL if it is an absolute http(s) URL without whitespace or control characters; `nil` otherwise
    /// (`javascript:`, `data:`, relative or malformed URLs never become links).
    public static func safeURL(_ url: String) -> String? {
        // On the UTF-8 bytes: the scheme is ASCII (no other character lowercases to one of its letters), and a
        // control character or space is one byte below 0x21 or 0x7F (bytes of longer sequences are 0x80 and up).
        let bytes = url.utf8
        func scheme(_ prefix: StaticString) -> Bool {
            guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
            return zip(bytes, UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
                .allSatisfy { $0 | 0x20 == $1 }
        }
        guard scheme("https://") || scheme("http://") else { return nil }
        guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return nil }
        return url
    }
}

/// A growing UTF-8 byte buffer with the appends the renderers need: raw text, JSON string literals, HTML-escaped
/// text and fixed-point numbers. Every character that needs escaping is ASCII, so multi-byte sequences are copied
/// through untouched.
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
            var k = 0
            while k < input.count {
                let b = input[k]
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 else {
                    k += 1
                    continue
                }
                // U+2028/2029 (E2 80 A8/A9) break JavaScript string literals in older engines; escaping them is
                // harmless. Any other E2 sequence is copied.
                let separator = b == 0xE2 && k + 2 < input.count && input[k + 1] == 0x80 && input[k + 2] & 0xFE == 0xA8
                if b == 0xE2, !separator {
                    k += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<k]))
                switch b {
                case 0x22: Self.append(&bytes, 0x5C, 0x22)
                case 0x5C: Self.append(&bytes, 0x5C, 0x5C)
                case 0x0A: Self.append(&bytes, 0x5C, 0x6E)
                case 0x0D: Self.append(&bytes, 0x5C, 0x72)
                case 0x09: Self.append(&bytes, 0x5C, 0x74)
                case 0xE2:
                    Self.append(&bytes, 0x5C, 0x75, 0x32, 0x30, 0x32, input[k + 2] == 0xA8 ? 0x38 : 0x39)
                    k += 2
                default:
                    Self.append(&bytes, 0x5C, 0x75, 0x30, 0x30, Self.hexDigit(b >> 4), Self.hexDigit(b & 15))
                }
                k += 1
                run = k
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

    /// A number with six decimals, the same text on every platform (non-finite and huge values as 0).
    public mutating func number(_ x: Double) {
        guard x.isFinite else { return append("0") }
        let scaled = (x * 1_000_000).rounded()
        guard abs(scaled) < 9e18 else { return append("0") }
        if scaled < 0 { bytes.append(0x2D) }
        digits(Int64(scaled).magnitude, minimum: 7, decimals: 6)
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
