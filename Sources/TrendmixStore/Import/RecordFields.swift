import Foundation

/// One input record whose fields are read by name, whatever the file format (CSV row or JSON object).
protocol RecordFields {
    var location: SourceLocation { get }
    /// The field's text, or `nil` when it is absent or empty.
    func text(_ field: String) throws -> String?
}

extension RecordFields {
    /// The field's text; a missing or empty field is an error.
    func required(_ field: String) throws -> String {
        guard let value = try text(field) else {
            throw ImportError.invalidField(location, field: field, value: "", reason: "is required")
        }
        return value
    }
}

/// A CSV file with a header row, read record by record with fields addressed by column name.
final class CSVTable: RecordFields {
    let reader: CSVReader
    let columns: [String]
    private let indexByName: [String: Int]

    /// Opens `path` and checks its header: every `required` column present, no column outside
    /// `required + optional`, none twice.
    init(
        path: String, required: [String], optional: [String] = [], delimiter: UInt8 = UInt8(ascii: ","),
        header: Bool = true, fixedColumns: [String]? = nil, quoting: Bool = true
    ) throws {
        reader = try CSVReader(path: path, delimiter: delimiter, quoting: quoting)
        if let fixedColumns {
            columns = fixedColumns
        } else {
            guard try reader.next() else { throw ImportError.empty(file: path) }
            var names: [String] = []
            for i in 0..<reader.count {
                guard let name = reader.string(i) else {
                    throw ImportError.invalidHeader(reader.location, reason: "column \(i + 1) is not valid UTF-8")
                }
                names.append(name.trimmingWhitespace())
            }
            columns = names
            let allowed = Set(required + optional)
            var seen: Set<String> = []
            for name in names {
                guard allowed.contains(name) else {
                    throw ImportError.invalidHeader(
                        reader.location,
                        reason: "unknown column '\(name)'; expected \((required + optional).joined(separator: ", "))")
                }
                guard seen.insert(name).inserted else {
                    throw ImportError.invalidHeader(reader.location, reason: "column '\(name)' appears twice")
                }
            }
            for name in required where !seen.contains(name) {
                throw ImportError.invalidHeader(reader.location, reason: "missing required column '\(name)'")
            }
        }
        var map: [String: Int] = [:]
        for (i, name) in columns.enumerated() { map[name] = i }
        indexByName = map
    }

    var location: SourceLocation { reader.location }
    var path: String { reader.path }

    /// Reads the next record and checks its field count.
    func next() throws -> Bool {
        let more: Bool
        do {
            more = try reader.next()
        } catch ImportError.invalidField(let location, let field, let value, let reason) {
            // The reader counts fields; name the column instead where the header has one.
            var name = field
            if field.hasPrefix("field "), let n = Int(field.dropFirst(6)), n >= 1, n <= columns.count {
                name = columns[n - 1]
            }
            throw ImportError.invalidField(location, field: name, value: value, reason: reason)
        }
        guard more else { return false }
        guard reader.count == columns.count else {
            throw ImportError.wrongFieldCount(reader.location, expected: columns.count, found: reader.count)
        }
        return true
    }

    func index(_ field: String) -> Int? { indexByName[field] }

    func text(_ field: String) throws -> String? {
        guard let i = indexByName[field] else { return nil }
        return try text(at: i, field: field)
    }

    func text(at i: Int, field: String) throws -> String? {
        if reader.isEmpty(i) { return nil }
        guard let s = reader.string(i) else {
            throw ImportError.invalidField(location, field: field, value: reader.lossy(i), reason: "not valid UTF-8")
        }
        return s
    }
}

/// One JSON Lines record.
struct JSONRecord: RecordFields {
    let object: [String: Any]
    let location: SourceLocation

    /// Parses one line; `allowed` lists the keys a record may have.
    init(line: [UInt8], location: SourceLocation, allowed: Set<String>) throws {
        self.location = location
        guard String(validating: line, as: UTF8.self) != nil else {
            throw ImportError.malformed(location, reason: "the line is not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(line), options: [])
        } catch {
            throw ImportError.malformed(location, reason: "not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw ImportError.malformed(location, reason: "each line must be one JSON object")
        }
        do {
            try JSONFields(object).refuseUnknownKeys(allowed: allowed)
        } catch let error as JSONFieldError {
            throw ImportError.invalidField(location, field: error.path, value: "", reason: error.reason)
        }
        self.object = object
    }

    func text(_ field: String) throws -> String? {
        guard let value = object[field] else { return nil }
        switch value {
        case is NSNull: return nil
        case let s as String: return s.isEmpty ? nil : s
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" {  // JSON true/false arrive as boolean NSNumbers
                throw ImportError.invalidField(location, field: field, value: "\(n)", reason: "must not be a boolean")
            }
            // Integers keep every digit (as JSON wrote them, not through a Double: 9007199254740993 and …992 are
            // two ids); a fraction is written back in its shortest form; an integer too large for 64 bits cannot
            // be read exactly and is refused.
            switch String(cString: n.objCType) {
            case "q", "l", "i", "s": return String(n.int64Value)
            case "Q", "L", "I", "S": return String(n.uint64Value)
            default:
                let d = n.doubleValue
                guard d.isFinite, d != d.rounded() || abs(d) < 9_007_199_254_740_992 else {
                    throw ImportError.invalidField(
                        location, field: field, value: "\(n)",
                        reason: "a number too large to be read exactly: write it as a string")
                }
                return d == d.rounded() ? String(Int64(d)) : String(d)
            }
        case let array as [Any]:
            var parts: [String] = []
            for element in array {
                guard let s = element as? String else {
                    throw ImportError.invalidField(
                        location, field: field, value: "\(array)", reason: "a list must hold strings only")
                }
                parts.append(s)
            }
            return parts.isEmpty ? nil : parts.joined(separator: "|")
        default:
            throw ImportError.invalidField(
                location, field: field, value: "\(value)", reason: "must be a string, a number or a list of strings")
        }
    }
}
