public import Foundation
public import TrendmixCore

/// One JSON object read strictly, the one decoding path of configuration files and POST bodies: typed getters
/// that refuse a value of the wrong type, a check that refuses keys it does not know, and every error naming the
/// value's path (`mix.k`, `events[3].time`) so that the user can find it.
public struct JSONFields {
    public let object: [String: Any]
    /// This object's path with a trailing dot (`mix.`, `events[3].`), empty for a document's root.
    public let path: String

    public init(_ object: [String: Any], path: String = "") {
        self.object = object
        self.path = path
    }

    /// The document's root object.
    /// - Throws: ``JSONFieldError`` when `data` is not JSON or its root is not an object.
    public init(parsing data: Data) throws {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw JSONFieldError(path: "", reason: "not valid JSON")
        }
        guard let object = root as? [String: Any] else { throw JSONFieldError(path: "", reason: "must be an object") }
        self.init(object)
    }

    public func contains(_ key: String) -> Bool { object[key] != nil }

    /// The error for `key` of this object.
    public func error(_ key: String, _ reason: String) -> JSONFieldError {
        JSONFieldError(path: path + key, reason: reason)
    }

    /// Refuses the first key (in sorted order) that is not `allowed`, naming the ones that are.
    public func refuseUnknownKeys(allowed: Set<String>) throws {
        if let key = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw error(key, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The value of `key`, `nil` when absent or `null`; `required` turns absence into an error.
    private func value(_ key: String, required: Bool) throws -> Any? {
        guard let value = object[key], !(value is NSNull) else {
            if required { throw error(key, "required") }
            return nil
        }
        return value
    }

    public func object(_ key: String, required: Bool = false) throws -> JSONFields? {
        guard let value = try value(key, required: required) else { return nil }
        guard let object = value as? [String: Any] else { throw error(key, "must be an object") }
        return JSONFields(object, path: path + key + ".")
    }

    public func array(_ key: String, required: Bool = false) throws -> [Any]? {
        guard let value = try value(key, required: required) else { return nil }
        guard let list = value as? [Any] else { throw error(key, "must be an array") }
        return list
    }

    /// The objects of an array, each with its path (`events[3].`).
    public func objects(_ key: String, required: Bool = false) throws -> [JSONFields]? {
        guard let list = try array(key, required: required) else { return nil }
        return try list.enumerated().map { i, item in
            guard let object = item as? [String: Any] else {
                throw JSONFieldError(path: "\(path)\(key)[\(i)]", reason: "must be an object")
            }
            return JSONFields(object, path: "\(path)\(key)[\(i)].")
        }
    }

    public func string(_ key: String, required: Bool = false) throws -> String? {
        guard let value = try value(key, required: required) else { return nil }
        guard let s = value as? String else { throw error(key, "must be a string") }
        return s
    }

    /// A list of strings.
    public func strings(_ key: String, required: Bool = false) throws -> [String]? {
        guard let value = try value(key, required: required) else { return nil }
        guard let list = value as? [String] else { throw error(key, "must be a list of strings") }
        return list
    }

    public func bool(_ key: String, required: Bool = false) throws -> Bool? {
        guard let value = try value(key, required: required) else { return nil }
        guard let n = value as? NSNumber, Self.isBoolean(n) else { throw error(key, "must be true or false") }
        return n.boolValue
    }

    /// A finite number (not a boolean).
    public func number(_ key: String, required: Bool = false) throws -> Double? {
        guard let value = try value(key, required: required) else { return nil }
        guard let n = value as? NSNumber, !Self.isBoolean(n), n.doubleValue.isFinite else {
            throw error(key, "must be a finite number")
        }
        return n.doubleValue
    }

    /// A time: an ISO 8601 string or Unix seconds, from 1900 to 2200 (``TimestampParser``).
    public func time(_ key: String, required: Bool = false) throws -> Timestamp? {
        guard let value = try value(key, required: required) else { return nil }
        let forms = "a time between 1900 and 2200 (ISO 8601 or Unix seconds)"
        switch value {
        case let s as String:
            guard let t = TimestampParser.parse(s) else { throw error(key, "must be \(forms), got '\(s)'") }
            return t
        case let n as NSNumber where !Self.isBoolean(n):
            guard n.doubleValue.isFinite, abs(n.doubleValue) < 1e11, let t = TimestampParser.parse(String(n.int64Value))
            else { throw error(key, "must be \(forms), got \(n)") }
            return t
        default:
            throw error(key, "must be \(forms)")
        }
    }

    /// Whether a number JSONSerialization gave is really `true` or `false` (both arrive as NSNumber).
    public static func isBoolean(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c"
    }
}

/// A value of a JSON document that is missing, of the wrong type or not allowed, named by its path.
public struct JSONFieldError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `mix.k`, `events[3].time`; empty for the document itself.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}
