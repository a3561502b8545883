public import TrendmixCore

/// Renders widgets as JSON (schema `trendmix-widget/1`, docs/widgets.md) and as HTML fragments.
///
/// Both are written by hand rather than through `JSONEncoder`: a million widgets must render in seconds. The JSON
/// is byte for byte what `JSONEncoder` writes for the wire types (``WireWidget``, ``WireItem``) with sorted keys
/// and unescaped slashes (docs/wire-format.md; `WireFormatTests` compare them).
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
        // Keys in sorted order, as JSONEncoder's `.sortedKeys` writes them.
        if let a = w.article {
            out.append("{\"article\":{\"id\":")
            out.quoted(a.id)
            out.append(",\"title\":")
            out.quoted(a.title)
            out.append(",\"url\":")
            out.quoted(a.url)
            out.append("},\"generated_at\":")
        } else {
            out.append("{\"generated_at\":")
        }
        out.quoted(w.generatedAt.iso8601)
        out.append(",\"heading\":")
        out.quoted(w.heading)
        out.append(",\"host\":")
        json(host: w.host, into: &out)
        out.append(",\"items\":[")
        for (i, item) in w.items.enumerated() {
            if i > 0 { out.append(byte: 0x2C) }
            json(item, explanation: true, into: &out)
        }
        out.append("],\"kind\":")
        out.quoted(w.kind.rawValue)
        out.append(",\"model\":")
        json(builtFor: w.modelBuiltFor, configurationHash: w.configurationHash, into: &out)
        out.append(",\"schema\":")
        out.quoted(schema)
        if let variant = w.variant {
            out.append(",\"variant\":")
            out.quoted(variant)
        }
        out.append("}")
    }

    /// A host site as the widgets and the HTTP API's trending answer write it: `{"name", "slug", "url"}`.
    public static func json(host: Site, into out: inout UTF8Output) {
        out.append("{\"name\":")
        out.quoted(host.name)
        out.append(",\"slug\":")
        out.quoted(host.slug)
        out.append(",\"url\":")
        out.quoted(host.baseURL)
        out.append("}")
    }

    /// The model an answer comes from: `{"built_for", "configuration_hash"}`.
    public static func json(builtFor: Timestamp, configurationHash: String, into out: inout UTF8Output) {
        out.append("{\"built_for\":")
        out.quoted(builtFor.iso8601)
        out.append(",\"configuration_hash\":")
        out.quoted(configurationHash)
        out.append("}")
    }

    /// One item as a JSON object: article, explanation (when asked), reason, score, site, site_name, tag, title and
    /// url, in that (sorted) order (the widget schema's item, and the HTTP API's and the command line's).
    public static func json(_ item: RecommendedItem, explanation: Bool, into out: inout UTF8Output) {
        out.append("{\"article\":")
        out.quoted(item.article)
        // A richer card's fields only where the article has them (sorted among the others).
        let card = item.card
        if let author = card?.author {
            out.append(",\"author\":")
            out.quoted(author)
        }
        if let description = card?.description {
            out.append(",\"description\":")
            out.quoted(description)
        }
        if explanation {
            out.append(",\"explanation\":")
            out.quoted(item.explanation)
        }
        if let image = card?.imageURL {
            out.append(",\"image_url\":")
            out.quoted(image)
        }
        out.append(",\"reason\":")
        out.quoted(item.reason)
        out.append(",\"score\":")
        out.number(item.score)
        if let section = card?.section {
            out.append(",\"section\":")
            out.quoted(section)
        }
        out.append(",\"site\":")
        out.quoted(item.site)
        out.append(",\"site_name\":")
        out.quoted(item.siteName)
        out.append(",\"tag\":")
        out.quoted(item.tag)
        out.append(",\"title\":")
        out.quoted(item.title)
        out.append(",\"url\":")
        out.quoted(item.url)
        out.append("}")
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; everything else as UTF-8.
    static func quote(_ s: String) -> String {
        var out = UTF8Output()
        out.quoted(s)
        return out.string
    }

    /// A number rounded to six decimals without trailing zeros, the same text on every platform.
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
        if let variant = w.variant {
            out.append(" data-variant=\"")
            out.escaped(variant)
            out.append("\"")
        }
        out.append(">\n  <h2 class=\"trendmix-heading\">")
        out.escaped(w.heading)
        out.append("</h2>\n  <ol class=\"trendmix-items\">\n")
        for (offset, item) in w.items.enumerated() {
            // Which article sits at which position (from 1), for a page's script to report impressions and clicks.
            out.append("    <li class=\"trendmix-item\" data-site=\"")
            out.escaped(item.site)
            out.append("\" data-article=\"")
            out.escaped(item.article)
            out.append("\" data-position=\"")
            out.integer(Int64(offset + 1))
            out.append("\" data-reason=\"")
            out.escaped(item.reason)
            out.append("\">")
            if let image = item.card?.imageURL.flatMap(safeURL) {
                out.append("<img class=\"trendmix-image\" src=\"")
                out.escaped(image)
                out.append("\" alt=\"\" loading=\"lazy\"> ")
            }
            // The site's own section where the article has one, else its first tag.
            if let section = item.card?.section {
                out.append("<span class=\"trendmix-tag trendmix-section\">")
                out.escaped(section)
                out.append("</span> ")
            } else if let tag = item.tag {
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
            if let author = item.card?.author {
                out.append(" <span class=\"trendmix-author\">")
                out.escaped(author)
                out.append("</span>")
            }
            out.append(" <span class=\"trendmix-site\">")
            out.escaped(item.siteName)
            out.append("</span>")
            if let description = item.card?.description {
                out.append(" <p class=\"trendmix-description\">")
                out.escaped(description)
                out.append("</p>")
            }
            out.append("</li>\n")
        }
        out.append("  </ol>\n</aside>\n")
    }

    /// Escapes text for HTML content and double-quoted attributes (`& < > " '`), on UTF-8 bytes.
    public static func escape(_ s: String) -> String { UTF8Output.htmlEscaped(s) }

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
