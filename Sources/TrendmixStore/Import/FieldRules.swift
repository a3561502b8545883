import Foundation
public import TrendmixCore

/// Validation shared by every importer, so every format refuses the same bad values with the same words.
public enum FieldRules {
    static let maxIDBytes = 256
    static let maxTitleCharacters = 2000
    static let maxTagBytes = 64
    static let maxURLBytes = 2048

    /// The largest count or number a field may hold: beyond it a value is a typo or an overflow (a daily count
    /// of Int64.max made explanations print "? weighted events").
    public static let maxMagnitude: Double = 1e12

    /// An id: 1 to 256 bytes with no control character, in Unicode NFC, so that the composed and decomposed
    /// spellings of one id (é as one code point or as e and a combining accent) are one record in every file.
    public static func id(_ value: String, field: String, at location: SourceLocation) throws -> String {
        let value = value.utf8.allSatisfy({ $0 < 0x80 }) ? value : value.precomposedStringWithCanonicalMapping
        guard !value.isEmpty else {
            throw ImportError.invalidField(location, field: field, value: value, reason: "must not be empty")
        }
        guard value.utf8.count <= maxIDBytes else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "longer than \(maxIDBytes) bytes")
        }
        let control =
            value.utf8.allSatisfy({ $0 < 0x80 })
            ? value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
            : value.unicodeScalars.contains(where: Self.isControl)
        guard !control else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "contains a control character")
        }
        return value
    }

    /// Tab, line feed and carriage return: the controls a title may keep.
    static func isLayout(_ c: Unicode.Scalar) -> Bool { c == "\t" || c == "\n" || c == "\r" }

    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value)
    }

    static func slug(_ value: String, field: String, at location: SourceLocation) throws -> String {
        guard Site.isValidSlug(value) else {
            throw ImportError.invalidField(
                location, field: field, value: value,
                reason: "must be 1 to 64 characters of a-z, 0-9, '.', '-' or '_'")
        }
        return value
    }

    /// An absolute http(s) URL, normalised (``URLNormalizer``).
    public static func url(_ value: String, field: String, at location: SourceLocation) throws -> String {
        guard hasHTTPScheme(value), value.utf8.count > 8 else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "must be an http:// or https:// URL")
        }
        guard value.utf8.count <= maxURLBytes,
            !value.utf8.contains(where: { $0 <= 0x20 || $0 == 0x22 || $0 == 0x3C || $0 == 0x3E || $0 == 0x7F })
        else {
            throw ImportError.invalidField(
                location, field: field, value: value,
                reason:
                    "must have no spaces, quotes, angle brackets or control characters and at most \(maxURLBytes) bytes"
            )
        }
        // Stored in one spelling (scheme and host case, default port, trailing slash, tracking parameters and
        // fragment removed), so the same page linked two ways is one URL, and lookups by URL find it.
        return URLNormalizer.normalize(value)
    }

    /// Whether the text starts with `http://` or `https://` in any case, compared on its bytes: as characters, a
    /// combining mark or an emoji modifier right after the `//` joins the slash into another character.
    public static func hasHTTPScheme(_ text: String) -> Bool {
        let bytes = text.utf8
        func starts(_ scheme: String) -> Bool {
            bytes.count >= scheme.utf8.count
                && zip(bytes, scheme.utf8).allSatisfy { ((0x41...0x5A).contains($0) ? $0 | 0x20 : $0) == $1 }
        }
        return starts("http://") || starts("https://")
    }

    /// A title or name: in NFC, with control characters removed (a NUL, an escape sequence or `&#1;` would reach
    /// HTML and terminals) except tabs and line breaks.
    public static func title(_ value: String, field: String, at location: SourceLocation) throws -> String {
        var value = value
        if value.unicodeScalars.contains(where: { Self.isControl($0) && !Self.isLayout($0) }) {
            var scalars = String.UnicodeScalarView()
            for c in value.unicodeScalars where !Self.isControl(c) || Self.isLayout(c) { scalars.append(c) }
            value = String(scalars)
        }
        if !value.utf8.allSatisfy({ $0 < 0x80 }) { value = value.precomposedStringWithCanonicalMapping }
        guard value.count <= maxTitleCharacters else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "longer than \(maxTitleCharacters) characters")
        }
        return value
    }

    /// An image's URL: `http(s)`, no spaces, quotes, angle brackets or control characters, as given (not
    /// normalised as article URLs are: an image is fetched, never looked up).
    public static func imageURL(_ value: String, field: String, at location: SourceLocation) throws -> String {
        _ = try url(value, field: field, at: location)
        return value
    }

    /// A card's text (author, section, description): as a title, at most `limit` characters.
    public static func cardText(
        _ value: String, field: String, limit: Int, at location: SourceLocation
    ) throws -> String {
        let text = try title(value, field: field, at: location)
        guard text.count <= limit else {
            throw ImportError.invalidField(
                location, field: field, value: text, reason: "longer than \(limit) characters")
        }
        return text
    }

    /// The card fields of an article, from a record's text fields by their canonical names (`image_url`,
    /// `author`, `section`, `description`); absent or empty ones are `nil`.
    public static func card(
        _ text: (String) throws -> String?, at location: SourceLocation
    ) throws -> ArticleCard {
        ArticleCard(
            imageURL: try text("image_url").map { try imageURL($0, field: "image_url", at: location) },
            author: try text("author").map { try cardText($0, field: "author", limit: 200, at: location) },
            section: try text("section").map { try cardText($0, field: "section", limit: 100, at: location) },
            description: try text("description").map {
                try cardText($0, field: "description", limit: 1000, at: location)
            })
    }

    /// An A/B variant's name (`serve --variant`): 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter or digit.
    public static func isVariantName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...32).contains(bytes.count), let first = bytes.first else { return false }
        func allowed(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        return allowed(first) && bytes.allSatisfy { allowed($0) || $0 == 0x2D || $0 == 0x5F }
    }

    public static func language(_ value: String, field: String, at location: SourceLocation) throws -> String {
        let ok =
            (2...35).contains(value.utf8.count)
            && value.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
        guard ok else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "must be a language tag such as 'en' or 'pt-BR'")
        }
        return value
    }

    /// Normalises one tag: trimmed, lowercased, 1 to 64 bytes, no `|` and no control characters.
    static func tag(_ value: String, field: String, at location: SourceLocation) throws -> String {
        let tag = value.trimmingWhitespace().lowercased()
        guard !tag.isEmpty, tag.utf8.count <= maxTagBytes, !tag.contains("|"),
            !tag.utf8.contains(where: { $0 < 0x20 })
        else {
            throw ImportError.invalidField(
                location, field: field, value: value,
                reason: "each tag must be 1 to \(maxTagBytes) bytes without '|' or control characters")
        }
        return tag
    }

    /// Tags in order without duplicates.
    public static func tags<S: Sequence<String>>(
        _ values: S, field: String, at location: SourceLocation
    ) throws -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for value in values {
            let tag = try self.tag(value, field: field, at: location)
            if seen.insert(tag).inserted { out.append(tag) }
        }
        return out
    }

    public static func time(_ value: String, field: String, at location: SourceLocation) throws -> Timestamp {
        guard let t = TimestampParser.parse(value) else {
            throw ImportError.invalidField(
                location, field: field, value: value,
                reason: "not a time between 1900 and 2200 (ISO 8601 such as 2020-05-31T01:40:47Z, or Unix seconds)")
        }
        return t
    }

    public static func integer(
        _ value: String, field: String, at location: SourceLocation, allowNegative: Bool = true
    ) throws
        -> Int64
    {
        guard let n = Int64(value), allowNegative || n >= 0 else {
            throw ImportError.invalidField(
                location, field: field, value: value,
                reason: allowNegative ? "not a whole number" : "not a whole number of zero or more")
        }
        guard Double(n.magnitude) <= maxMagnitude else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "implausibly large (more than 10^12)")
        }
        return n
    }

    /// A decimal number (`4.5`, `-2`, `1e3`; not hexadecimal `0x1p10`, `inf` or `nan`) of at most 10^12.
    public static func number(_ value: String, field: String, at location: SourceLocation) throws -> Double {
        let decimal = value.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 | 0x20 == 0x65
        }
        guard decimal, let x = Double(value), x.isFinite else {
            throw ImportError.invalidField(location, field: field, value: value, reason: "not a finite decimal number")
        }
        guard x.magnitude <= maxMagnitude else {
            throw ImportError.invalidField(
                location, field: field, value: value, reason: "implausibly large (more than 10^12)")
        }
        return x
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
