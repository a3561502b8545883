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
        var out = "{"
        out += "\"schema\":" + quote(schema)
        out += ",\"kind\":" + quote(w.kind.rawValue)
        out +=
            ",\"host\":{\"slug\":\(quote(w.host.slug)),\"name\":\(quote(w.host.name)),\"url\":\(quote(w.host.baseURL))}"
        if let a = w.article {
            out +=
                ",\"article\":{\"id\":\(quote(a.id)),\"title\":\(a.title.map(quote) ?? "null"),\"url\":\(a.url.map(quote) ?? "null")}"
        }
        out += ",\"heading\":" + quote(w.heading)
        out += ",\"generated_at\":" + quote(w.generatedAt.iso8601)
        out +=
            ",\"model\":{\"built_for\":\(quote(w.modelBuiltFor.iso8601)),\"configuration_hash\":\(quote(w.configurationHash))}"
        out += ",\"items\":["
        for (i, item) in w.items.enumerated() {
            if i > 0 { out += "," }
            out += "{\"article\":" + quote(item.article)
            out += ",\"title\":" + (item.title.map(quote) ?? "null")
            out += ",\"url\":" + (item.url.map(quote) ?? "null")
            out += ",\"site\":" + quote(item.site)
            out += ",\"site_name\":" + quote(item.siteName)
            out += ",\"tag\":" + (item.tag.map(quote) ?? "null")
            out += ",\"score\":" + number(item.score)
            out += ",\"reason\":" + quote(item.reason)
            out += ",\"explanation\":" + quote(item.explanation)
            out += "}"
        }
        out += "]}"
        return out
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; everything else as UTF-8.
    ///
    /// Works on UTF-8 bytes: every character that needs escaping is ASCII, and multi-byte sequences pass through
    /// untouched, so a title costs one pass and one allocation (scalar-by-scalar string appends were the largest
    /// cost of a million widgets).
    static func quote(_ s: String) -> String {
        var text = s
        return text.withUTF8 { input -> String in
            var needs = false
            for b in input where b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 {
                needs = true
                break
            }
            if !needs {
                return String(unsafeUninitializedCapacity: input.count + 2) { out in
                    out[0] = 0x22
                    for k in 0..<input.count { out[k + 1] = input[k] }
                    out[input.count + 1] = 0x22
                    return input.count + 2
                }
            }
            var out: [UInt8] = [0x22]
            out.reserveCapacity(input.count + 16)
            var k = 0
            while k < input.count {
                let b = input[k]
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0xE2
                where k + 2 < input.count && input[k + 1] == 0x80 && (input[k + 2] == 0xA8 || input[k + 2] == 0xA9):
                    // U+2028/2029 break JavaScript string literals in older engines; escaping them is harmless.
                    out += Array((input[k + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    k += 2
                default:
                    if b < 0x20 {
                        let hex = Array("0123456789abcdef".utf8)
                        out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
                    } else {
                        out.append(b)
                    }
                }
                k += 1
            }
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A number with six decimals, the same text on every platform.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let scaled = (x * 1_000_000).rounded()
        guard abs(scaled) < 9e18 else { return "0" }
        return String(Int64(scaled)).withDecimal(6)
    }

    // MARK: HTML

    /// The widget as an HTML fragment in the layout of the partner sites' box: a heading, then items each with
    /// an optional tag label, the linked title and the site name. Every text and attribute is escaped; only
    /// http(s) URLs become links. Class names start with `trendmix-` so a site can style them.
    public static func html(_ w: Widget) -> String {
        var out =
            "<aside class=\"trendmix-widget trendmix-for-\(w.kind.rawValue)\" data-host=\"\(escape(w.host.slug))\""
        if let a = w.article { out += " data-article=\"\(escape(a.id))\"" }
        out += ">\n  <h2 class=\"trendmix-heading\">\(escape(w.heading))</h2>\n  <ol class=\"trendmix-items\">\n"
        for item in w.items {
            out +=
                "    <li class=\"trendmix-item\" data-site=\"\(escape(item.site))\" data-reason=\"\(escape(item.reason))\">"
            if let tag = item.tag { out += "<span class=\"trendmix-tag\">\(escape(tag))</span> " }
            let title = escape(item.title ?? item.article)
            if let url = item.url, let safe = safeURL(url) {
                out += "<a class=\"trendmix-title\" href=\"\(escape(safe))\">\(title)</a>"
            } else {
                out += "<span class=\"trendmix-title\">\(title)</span>"
            }
            out += " <span class=\"trendmix-site\">\(escape(item.siteName))</span></li>\n"
        }
        out += "  </ol>\n</aside>\n"
        return out
    }

    /// Escapes text for HTML content and double-quoted attributes (`& < > " '`), on UTF-8 bytes.
    public static func escape(_ s: String) -> String {
        var text = s
        return text.withUTF8 { input -> String in
            var needs = false
            for b in input where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
                needs = true
                break
            }
            if !needs { return s }
            var out: [UInt8] = []
            out.reserveCapacity(input.count + 16)
            for b in input {
                switch b {
                case 0x26: out += Array("&amp;".utf8)
                case 0x3C: out += Array("&lt;".utf8)
                case 0x3E: out += Array("&gt;".utf8)
                case 0x22: out += Array("&quot;".utf8)
                case 0x27: out += Array("&#39;".utf8)
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
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
