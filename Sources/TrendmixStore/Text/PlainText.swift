/// Plain text from a fragment of HTML, for a card's description: tags dropped (and the contents of `<pre>`,
/// `<code>`, `<script>` and `<style>`, which read badly as a sentence), the common entities decoded, whitespace
/// collapsed, and cut at a word boundary with "…" past `limit` characters. Not a sanitiser: the result is text,
/// escaped again wherever it is rendered.
enum PlainText {
    static func fromHTML(_ html: String, limit: Int) -> String? {
        var out = String.UnicodeScalarView()
        var inTag = false
        var tagName = ""
        var skipping: String?
        var pendingSpace = false
        var scalars = html.unicodeScalars[...]
        func emit(_ c: Unicode.Scalar) {
            if c.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                return
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        while let c = scalars.popFirst() {
            if inTag {
                if c == ">" {
                    inTag = false
                    let name = tagName.lowercased()
                    if let skip = skipping {
                        if name == "/" + skip { skipping = nil }
                    } else if ["pre", "code", "script", "style"].contains(name) {
                        skipping = name
                    }
                    // Block elements separate words; inline ones (em, a, code in a sentence) do not.
                    let bare = name.hasPrefix("/") ? String(name.dropFirst()) : name
                    if Self.blocks.contains(bare.hasSuffix("/") ? String(bare.dropLast()) : bare) {
                        pendingSpace = !out.isEmpty
                    }
                } else if tagName.count < 16, c != " ", !tagName.contains(" ") {
                    tagName.unicodeScalars.append(c)
                } else {
                    tagName += " "
                }
                continue
            }
            if c == "<" {
                inTag = true
                tagName = ""
                continue
            }
            if skipping != nil { continue }
            if c == "&" {
                var entity = ""
                while let next = scalars.first, next != ";", entity.count < 10,
                    next.properties.isAlphabetic || ("0"..."9").contains(next) || next == "#"
                {
                    entity.unicodeScalars.append(next)
                    scalars.removeFirst()
                }
                if scalars.first == ";", let decoded = Self.entity(entity) {
                    scalars.removeFirst()
                    emit(decoded)
                } else {
                    emit("&")
                    for e in entity.unicodeScalars { emit(e) }
                }
                continue
            }
            emit(c)
            if out.count > limit * 2 { break }
        }
        var text = String(out)
        guard !text.isEmpty else { return nil }
        if text.count > limit {
            let cut = text.prefix(limit)
            let end = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
            text = end.trimmingCharacters(in: .punctuationCharacters) + "…"
        }
        return text
    }

    private static let blocks: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th",
        "hr", "table", "dd", "dt",
    ]

    private static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            let lower = name.lowercased()
            if lower.hasPrefix("#x"), let v = UInt32(lower.dropFirst(2), radix: 16) { return Unicode.Scalar(v) }
            if lower.hasPrefix("#"), let v = UInt32(lower.dropFirst(1)) { return Unicode.Scalar(v) }
            return nil
        }
    }
}
