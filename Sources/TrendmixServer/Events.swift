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
        try requireJSONBody(request)
        let body = try await request.body.collect(upTo: Self.maxBytes)
        let events = try Self.parse(Data(buffer: body))
        let (added, unchanged, applied) = try holder.writing {
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
        return BatchBody.stored([
            ("received", events.count), ("added", added), ("unchanged", unchanged), ("applied_to_trending", applied),
        ])
    }

    /// Parses and validates the body; the first problem is a 400 naming `events[i].field`.
    static func parse(_ data: Data) throws -> [EngagementEvent] {
        let allowed: Set<String> = ["id", "site", "article", "type", "time", "reader", "session", "value"]
        return try BatchBody(key: "events", code: "invalid_event").items(data, limit: maxEvents).map { e in
            try e.allow(allowed)
            let typeName = try e.text("type", required: true) ?? ""
            guard let type = EventType(name: typeName) else {
                throw e.bad("type", "unknown event type '\(typeName)'")
            }
            return EngagementEvent(
                sourceID: try e.text("id", required: true) ?? "", site: try e.text("site", required: true) ?? "",
                article: try e.text("article", required: true) ?? "", reader: try e.text("reader", required: false),
                session: try e.text("session", required: false), type: type, time: try e.time("time"),
                value: try e.number("value") ?? 1)
        }
    }
}
