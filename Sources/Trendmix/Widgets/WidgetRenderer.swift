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
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // U+2028/2029 break JavaScript string literals in older engines; escaping them is harmless.
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
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

    /// Escapes text for HTML content and double-quoted attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
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
