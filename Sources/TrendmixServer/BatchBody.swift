import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// A posted batch, `{"<key>": [object, ...]}`, read with errors that name `<key>[i].field` (400).
struct BatchBody {
    let key: String
    let code: String

    /// The batch's objects, at most `limit` of them.
    func items(_ data: Data, limit: Int) throws -> [BatchItem] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(.badRequest, "invalid_body", "the body is not a JSON object")
        }
        if let extra = object.keys.first(where: { $0 != key }) {
            throw APIError(.badRequest, "invalid_body", "unknown key '\(extra)'; the body is {\"\(key)\": [...]}")
        }
        guard let list = object[key] as? [Any] else {
            throw APIError(.badRequest, "invalid_body", "'\(key)' must be an array")
        }
        guard list.count <= limit else {
            throw APIError(.badRequest, "too_many_\(key)", "at most \(limit) \(key) per request")
        }
        return try list.enumerated().map { (i, item) in
            let name = "\(key)[\(i)]"
            guard let fields = item as? [String: Any] else {
                throw APIError(.badRequest, code, "\(name): expected an object")
            }
            return BatchItem(fields: fields, name: name, code: code)
        }
    }

    /// The JSON answer to a stored batch: `{"name": count, ...}` in the given order.
    static func stored(_ counts: [(String, Int)]) -> Response {
        var out = UTF8Output(capacity: 128)
        out.append("{")
        for (i, (name, count)) in counts.enumerated() {
            out.append(i == 0 ? "\"" : ",\"")
            out.append(name)
            out.append("\":\(count)")
        }
        out.append("}\n")
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }
}

/// One object of a batch.
struct BatchItem {
    let fields: [String: Any]
    let name: String
    let code: String

    func bad(_ field: String, _ why: String) -> APIError {
        APIError(.badRequest, code, "\(name).\(field): \(why)")
    }

    func allow(_ names: Set<String>) throws {
        if let extra = fields.keys.sorted().first(where: { !names.contains($0) }) {
            throw bad(extra, "not a field here (\(names.sorted().joined(separator: ", ")))")
        }
    }

    /// A non-empty string of at most 512 bytes; nil when absent or null and not required.
    func text(_ field: String, required: Bool) throws -> String? {
        guard let value = fields[field], !(value is NSNull) else {
            if required { throw bad(field, "required") }
            return nil
        }
        guard let s = value as? String, !s.isEmpty, s.utf8.count <= 512 else {
            throw bad(field, "expected a non-empty string of at most 512 bytes")
        }
        return s
    }

    /// A finite number (not a boolean); nil when absent or null.
    func number(_ field: String) throws -> Double? {
        guard let value = fields[field], !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, !isBoolean(n), n.doubleValue.isFinite else {
            throw bad(field, "expected a finite number")
        }
        return n.doubleValue
    }

    /// A required time: ISO 8601 or Unix seconds, between 1900 and 2200.
    func time(_ field: String) throws -> Timestamp {
        switch fields[field] {
        case let s as String:
            guard let t = TimestampParser.parse(s) else {
                throw bad(field, "not a time between 1900 and 2200 (ISO 8601 or Unix seconds): '\(s)'")
            }
            return t
        case let n as NSNumber where !isBoolean(n):
            guard n.doubleValue.isFinite, abs(n.doubleValue) < 1e11, let t = TimestampParser.parse(String(n.int64Value))
            else { throw bad(field, "not Unix seconds between 1900 and 2200: \(n)") }
            return t
        default:
            throw bad(field, "required: ISO 8601 or Unix seconds")
        }
    }
}

/// Whether a number JSONSerialization gave is really `true` or `false` (both arrive as NSNumber).
func isBoolean(_ n: NSNumber) -> Bool {
    String(cString: n.objCType) == "c"
}

/// A POST body must be JSON: a `Content-Type` other than `application/json` (with any parameters, or none at
/// all) is answered 415 before the body is read.
func requireJSONBody(_ request: Request) throws {
    guard let type = request.headers[.contentType] else { return }
    let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    guard media == "application/json" else {
        throw APIError(
            .unsupportedMediaType, "unsupported_media_type",
            "the body must be JSON (Content-Type: application/json), not \(media)")
    }
}
