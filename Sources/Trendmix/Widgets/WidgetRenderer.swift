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
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else { return nil }
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

    /// A JSON string literal, or `null` for nil.
    public mutating func quoted(_ s: String?) {
        guard var text = s else {
            append("null")
            return
        }
        text.withUTF8 { input in
            bytes.append(0x22)
            var k = 0
            while k < input.count {
                let b = input[k]
                switch b {
                case 0x22: bytes += [0x5C, 0x22]
                case 0x5C: bytes += [0x5C, 0x5C]
                case 0x0A: bytes += [0x5C, 0x6E]
                case 0x0D: bytes += [0x5C, 0x72]
                case 0x09: bytes += [0x5C, 0x74]
                case 0xE2
                where k + 2 < input.count && input[k + 1] == 0x80 && (input[k + 2] == 0xA8 || input[k + 2] == 0xA9):
                    // U+2028/2029 break JavaScript string literals in older engines; escaping them is harmless.
                    bytes += [0x5C, 0x75, 0x32, 0x30, 0x32, input[k + 2] == 0xA8 ? 0x38 : 0x39]
                    k += 2
                default:
                    if b < 0x20 {
                        let hex: [UInt8] = Array("0123456789abcdef".utf8)
                        bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
                    } else {
                        bytes.append(b)
                    }
                }
                k += 1
            }
            bytes.append(0x22)
        }
    }

    /// Text escaped for HTML content and double-quoted attributes (`& < > " '`).
    public mutating func escaped(_ s: String) {
        var text = s
        text.withUTF8 { input in
            for b in input {
                switch b {
                case 0x26: bytes += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
                case 0x3C: bytes += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
                case 0x3E: bytes += [0x26, 0x67, 0x74, 0x3B]  // &gt;
                case 0x22: bytes += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
                case 0x27: bytes += [0x26, 0x23, 0x33, 0x39, 0x3B]  // &#39;
                default: bytes.append(b)
                }
            }
        }
    }

    /// A number with six decimals, the same text on every platform (non-finite and huge values as 0).
    public mutating func number(_ x: Double) {
        guard x.isFinite else { return append("0") }
        let scaled = (x * 1_000_000).rounded()
        guard abs(scaled) < 9e18 else { return append("0") }
        var n = Int64(scaled)
        if n < 0 {
            bytes.append(0x2D)
            n = -n
        }
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(0x30 + n % 10))
            n /= 10
        } while n > 0
        while digits.count < 7 { digits.append(0x30) }
        for (i, d) in digits.reversed().enumerated() {
            if i == digits.count - 6 { bytes.append(0x2E) }
            bytes.append(d)
        }
    }
}
