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
        do {
            let root = try JSONFields(parsing: data)
            try root.refuseUnknownKeys(allowed: [key])
            guard (try root.array(key, required: true) ?? []).count <= limit else {
                throw APIError(.badRequest, "too_many_\(key)", "at most \(limit) \(key) per request")
            }
            return (try root.objects(key) ?? []).map { BatchItem(fields: $0, code: code) }
        } catch let error as JSONFieldError {
            // The body's shape is wrong (invalid_body); one of its objects is not an object (the item's code).
            let code = error.path.hasPrefix(key + "[") ? code : "invalid_body"
            throw APIError(.badRequest, code, "\(error); the body is {\"\(key)\": [{...}, ...]}")
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

/// One object of a batch, read through ``JSONFields``: a bad field is a 400 naming `<key>[i].field`.
struct BatchItem {
    let fields: JSONFields
    let code: String

    /// `events[3]`.
    var name: String { String(fields.path.dropLast()) }

    func bad(_ field: String, _ why: String) -> APIError {
        APIError(.badRequest, code, fields.error(field, why).description)
    }

    /// Runs reads, turning their ``JSONFieldError`` into this batch's 400.
    private func reading<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as JSONFieldError {
            throw APIError(.badRequest, code, error.description)
        }
    }

    func allow(_ names: Set<String>) throws {
        try reading { try fields.refuseUnknownKeys(allowed: names) }
    }

    /// A non-empty string of at most 512 bytes; nil when absent or null and not required.
    func text(_ field: String, required: Bool) throws -> String? {
        guard let s = try reading({ try fields.string(field, required: required) }) else { return nil }
        guard !s.isEmpty, s.utf8.count <= 512 else {
            throw bad(field, "must be a non-empty string of at most 512 bytes")
        }
        return s
    }

    /// A string of any length (the field's own rule checks it); nil when absent, null or empty.
    func string(_ field: String) throws -> String? {
        try reading { try fields.string(field) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A list of strings, or one string split at `|` (as in CSV); nil when absent or null.
    func stringList(_ field: String) throws -> [String]? {
        if let one = try? fields.string(field) { return one.split(separator: "|").map(String.init) }
        return try reading { try fields.strings(field) }
    }

    /// A finite number (not a boolean); nil when absent or null.
    func number(_ field: String) throws -> Double? {
        try reading { try fields.number(field) }
    }

    /// A time: ISO 8601 or Unix seconds, between 1900 and 2200; the server's clock when absent or null (a
    /// browser's or a back end's clock is not needed to say when something happened just now).
    func time(_ field: String, received: Timestamp) throws -> Timestamp {
        try reading { try fields.time(field, required: false) } ?? received
    }
}

/// A POST body must be JSON: a `Content-Type` other than `application/json` (with any parameters, or none at
/// all) is answered 415 before the body is read. `orPlainText` also takes `text/plain`, the type a browser's
/// `navigator.sendBeacon` can send to another origin without a preflight (the body is still parsed as JSON).
func requireJSONBody(_ request: Request, orPlainText: Bool = false) throws {
    guard let type = request.headers[.contentType] else { return }
    let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    guard media == "application/json" || (orPlainText && media == "text/plain") else {
        throw APIError(
            .unsupportedMediaType, "unsupported_media_type",
            "the body must be JSON (Content-Type: application/json), not \(media)")
    }
}
