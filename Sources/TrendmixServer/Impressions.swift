import Foundation
import Hummingbird
import Trendmix
import TrendmixCore
import TrendmixStore

/// `POST /v1/impressions`: what the widgets showed and what readers clicked, with the box's placement and each
/// item's position, so widgets' own performance can be measured (`SQLiteArticleStore.interactionSummary()`).
/// Idempotent by host site and id; a click is also an engagement event (type `click`, id `click:<id>`) on the
/// clicked article, stored and folded into trending like `POST /v1/events`.
///
/// Body: `{"impressions": [{"id", "kind"?: "impression" | "click", "placement", "host", "seed"?, "site",
/// "article", "position", "reader"?, "time"}]}`, at most 1,000 and 1 MiB.
struct ImpressionsEndpoint: Sendable {
    let holder: EngineHolder

    func post(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: EventsEndpoint.maxBytes)
        let interactions = try Self.parse(Data(buffer: body))
        let (added, unchanged, clicks) = try holder.writer.withLock { _ in
            let stored = try holder.store.record(interactions) {
                SourceLocation(file: "POST /v1/impressions", element: "impressions[\($0)]")
            }
            let clickEvents = stored.new.filter { $0.kind == .click }.map {
                EngagementEvent(
                    sourceID: "click:" + $0.sourceID, site: $0.site, article: $0.article, reader: $0.reader,
                    type: .click, time: $0.time)
            }
            var fresh: [EngagementEvent] = []
            if !clickEvents.isEmpty {
                _ = try holder.store.importRecords(dryRun: false) { writer in
                    for (i, event) in clickEvents.enumerated() {
                        let location = SourceLocation(file: "POST /v1/impressions", element: "click \(i)")
                        if try writer.addEvent(event, at: location) { fresh.append(event) }
                    }
                }
                holder.update { $0.addingEngagement(fresh).engine }
            }
            return (stored.added, stored.unchanged, fresh.count)
        }
        var out = UTF8Output(capacity: 128)
        out.append("{\"received\":\(interactions.count),\"added\":\(added),\"unchanged\":\(unchanged),")
        out.append("\"clicks_added\":\(clicks)}\n")
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    static func parse(_ data: Data) throws -> [WidgetInteraction] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(.badRequest, "invalid_body", "the body is not a JSON object")
        }
        if let extra = object.keys.first(where: { $0 != "impressions" }) {
            throw APIError(.badRequest, "invalid_body", "unknown key '\(extra)'; the body is {\"impressions\": [...]}")
        }
        guard let list = object["impressions"] as? [Any] else {
            throw APIError(.badRequest, "invalid_body", "'impressions' must be an array")
        }
        guard list.count <= EventsEndpoint.maxEvents else {
            throw APIError(.badRequest, "too_many_impressions", "at most \(EventsEndpoint.maxEvents) per request")
        }
        let allowed: Set<String> = [
            "id", "kind", "placement", "host", "seed", "site", "article", "position", "reader", "time",
        ]
        return try list.enumerated().map { (i, item) in
            func bad(_ field: String, _ why: String) -> APIError {
                APIError(.badRequest, "invalid_impression", "impressions[\(i)].\(field): \(why)")
            }
            guard let x = item as? [String: Any] else { throw bad("", "an impression must be an object") }
            if let extra = x.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw bad(extra, "not a field (\(allowed.sorted().joined(separator: ", ")))")
            }
            func text(_ field: String, required: Bool) throws -> String? {
                guard let value = x[field], !(value is NSNull) else {
                    if required { throw bad(field, "required") }
                    return nil
                }
                guard let s = value as? String, !s.isEmpty, s.utf8.count <= 512 else {
                    throw bad(field, "expected a non-empty string of at most 512 bytes")
                }
                return s
            }
            let kindName = try text("kind", required: false) ?? "impression"
            guard let kind = WidgetInteraction.Kind(rawValue: kindName) else {
                throw bad("kind", "expected impression or click, got '\(kindName)'")
            }
            guard let n = x["position"] as? NSNumber, !isBoolean(n), n.doubleValue == n.doubleValue.rounded(),
                (1...1000).contains(n.doubleValue)
            else { throw bad("position", "required: a whole number from 1 to 1000") }
            let time: Timestamp
            switch x["time"] {
            case let s as String:
                guard let t = TimestampParser.parse(s) else { throw bad("time", "not a time: '\(s)'") }
                time = t
            case let v as NSNumber where !isBoolean(v):
                guard v.doubleValue.isFinite, abs(v.doubleValue) < 1e11,
                    let t = TimestampParser.parse(String(v.int64Value))
                else { throw bad("time", "not a time: \(v)") }
                time = t
            default:
                throw bad("time", "required: ISO 8601 or Unix seconds")
            }
            return WidgetInteraction(
                sourceID: try text("id", required: true) ?? "", kind: kind,
                placement: try text("placement", required: true) ?? "", host: try text("host", required: true) ?? "",
                seed: try text("seed", required: false), site: try text("site", required: true) ?? "",
                article: try text("article", required: true) ?? "", position: n.intValue,
                reader: try text("reader", required: false), time: time)
        }
    }
}
