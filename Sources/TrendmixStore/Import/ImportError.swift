/// Where in an input a problem was found: the file, its 1-based line, and for XML the element.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// For XML input: the element, e.g. `row #17 of <posts>`.
    public var element: String?

    public init(file: String, line: Int? = nil, element: String? = nil) {
        self.file = file
        self.line = line
        self.element = element
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let element { s += " (\(element))" }
        return s
    }
}

/// Why an import stopped. Every case names the place; the database is left exactly as it was.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path cannot be read as the input the format expects (missing, a directory, no permission).
    case unreadable(file: String, reason: String)
    /// The file has no data at all.
    case empty(file: String)
    /// The text does not follow the file format's syntax (CSV quoting, XML structure, JSON).
    case malformed(SourceLocation, reason: String)
    /// A header lacks a required column or has an unexpected one.
    case invalidHeader(SourceLocation, reason: String)
    /// A record has the wrong number of fields.
    case wrongFieldCount(SourceLocation, expected: Int, found: Int)
    /// One field's value is not acceptable.
    case invalidField(SourceLocation, field: String, value: String, reason: String)
    /// A value is acceptable alone but contradicts what is already stored or imported.
    case conflict(SourceLocation, field: String, reason: String)

    public var location: SourceLocation {
        switch self {
        case .unreadable(let file, _), .empty(let file): SourceLocation(file: file)
        case .malformed(let l, _), .invalidHeader(let l, _), .wrongFieldCount(let l, _, _),
            .invalidField(let l, _, _, _), .conflict(let l, _, _):
            l
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        case .empty(let file): "\(file): the file is empty"
        case .malformed(let l, let reason): "\(l): malformed input: \(reason)"
        case .invalidHeader(let l, let reason): "\(l): header: \(reason)"
        case .wrongFieldCount(let l, let expected, let found):
            "\(l): expected \(expected) fields, found \(found)"
        case .invalidField(let l, let field, let value, let reason):
            "\(l): field '\(field)' = \(Self.quote(value)): \(reason)"
        case .conflict(let l, let field, let reason): "\(l): field '\(field)': \(reason)"
        }
    }

    /// Quotes a value for a message, cut to 80 characters so an oversized field does not flood the terminal.
    static func quote(_ value: String) -> String {
        let shown = value.count > 80 ? String(value.prefix(77)) + "..." : value
        return "\"" + shown.replacingOccurrences("\n", with: "\\n") + "\""
    }
}

extension String {
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
