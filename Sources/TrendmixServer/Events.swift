import Foundation
import Hummingbird
import Trendmix
import TrendmixCore
import TrendmixStore

/// `POST /v1/events`: a batch of engagement events as JSON, validated whole (a bad event names its index and
/// field, and nothing of the batch is stored), stored in one transaction, idempotent by (site, event id), and
/// folded into the trending scores being served without a rebuild.
///
/// Body: `{"events": [{"id", "site", "article", "type", "time", "reader"?, "session"?, "value"?}]}`, at most
/// `maxEvents` events and `maxBytes` bytes.
struct EventsEndpoint: Sendable {
    let holder: EngineHolder
    static let maxBytes = 1 << 20
    static let maxEvents = 1_000

    func post(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maxBytes)
        let events = try Self.parse(Data(buffer: body))
        let (added, unchanged, applied) = try holder.writer.withLock { _ in
            var fresh: [EngagementEvent] = []
            let summary = try holder.store.importRecords(dryRun: false) { writer in
                for (i, event) in events.enumerated() {
                    let location = SourceLocation(file: "POST /v1/events", element: "events[\(i)]")
                    if try writer.addEvent(event, at: location) { fresh.append(event) }
                }
            }
            var applied = 0
            holder.update { engine in
                let result = engine.addingEngagement(fresh)
                applied = result.applied
                return result.engine
            }
            return (summary.events.added, summary.events.unchanged, applied)
        }
        var out = UTF8Output(capacity: 128)
        out.append("{\"received\":\(events.count),\"added\":\(added),\"unchanged\":\(unchanged),")
        out.append("\"applied_to_trending\":\(applied)}\n")
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    /// Parses and validates the body; the first problem is a 400 naming `events[i].field`.
    static func parse(_ data: Data) throws -> [EngagementEvent] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(.badRequest, "invalid_body", "the body is not a JSON object")
        }
        if let extra = object.keys.first(where: { $0 != "events" }) {
            throw APIError(.badRequest, "invalid_body", "unknown key '\(extra)'; the body is {\"events\": [...]}")
        }
        guard let list = object["events"] as? [Any] else {
            throw APIError(.badRequest, "invalid_body", "'events' must be an array of events")
        }
        guard list.count <= maxEvents else {
            throw APIError(.badRequest, "too_many_events", "at most \(maxEvents) events per request")
        }
        let allowed: Set<String> = ["id", "site", "article", "type", "time", "reader", "session", "value"]
        return try list.enumerated().map { (i, item) in
            func bad(_ field: String, _ why: String) -> APIError {
                APIError(.badRequest, "invalid_event", "events[\(i)].\(field): \(why)")
            }
            guard let e = item as? [String: Any] else { throw bad("", "an event must be an object") }
            if let extra = e.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw bad(extra, "not a field of an event (\(allowed.sorted().joined(separator: ", ")))")
            }
            func text(_ field: String, required: Bool) throws -> String? {
                guard let value = e[field], !(value is NSNull) else {
                    if required { throw bad(field, "required") }
                    return nil
                }
                guard let s = value as? String, !s.isEmpty, s.utf8.count <= 512 else {
                    throw bad(field, "expected a non-empty string of at most 512 bytes")
                }
                return s
            }
            let typeName = try text("type", required: true) ?? ""
            guard let type = EventType(name: typeName) else {
                throw bad("type", "unknown event type '\(typeName)'")
            }
            let time: Timestamp
            switch e["time"] {
            case let s as String:
                guard let t = TimestampParser.parse(s) else { throw bad("time", "not a time: '\(s)'") }
                time = t
            case let n as NSNumber where !isBoolean(n):
                guard let t = TimestampParser.parse(String(n.int64Value)), n.doubleValue.isFinite else {
                    throw bad("time", "not a time: \(n)")
                }
                time = t
            default:
                throw bad("time", "required: ISO 8601 or Unix seconds")
            }
            var value = 1.0
            if let v = e["value"], !(v is NSNull) {
                guard let n = v as? NSNumber, !isBoolean(n), n.doubleValue.isFinite
                else { throw bad("value", "expected a finite number") }
                value = n.doubleValue
            }
            return EngagementEvent(
                sourceID: try text("id", required: true) ?? "", site: try text("site", required: true) ?? "",
                article: try text("article", required: true) ?? "", reader: try text("reader", required: false),
                session: try text("session", required: false), type: type, time: time, value: value)
        }
    }
}

/// Whether a number JSONSerialization gave is really `true` or `false` (both arrive as NSNumber).
func isBoolean(_ n: NSNumber) -> Bool {
    String(cString: n.objCType) == "c"
}
