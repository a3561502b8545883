import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// `POST /v1/events`: a batch of engagement events as JSON, validated whole (a bad event names its index and
/// field, and nothing of the batch is stored), stored in one transaction, idempotent by (site, event id), and
/// folded into the trending scores being served without a rebuild.
///
/// Body: `{"events": [{"id", "site", "article", "type", "time"?, "reader"?, "session"?, "value"?}]}`, at most
/// `maxEvents` events and `maxBytes` bytes; without `time`, the server's clock. A back end's write: the token
/// (``WriteAccess``).
struct EventsEndpoint: Sendable {
    let holder: LiveEngine
    let access: WriteAccess
    static let maxBytes = 1 << 20
    static let maxEvents = 1_000

    func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        try access.check(request, context: context)
        try requireJSONBody(request)
        let body = try await request.body.collect(upTo: Self.maxBytes)
        let parsed = try Self.parse(Data(buffer: body), received: Timestamp.wallClock())
        let events = try await StoreExecutor.reads.run { try self.resolvingURLs(parsed) }
        let summary = try await holder.ingest(events) {
            SourceLocation(file: "POST /v1/events", element: "events[\($0)]")
        }
        return BatchBody.stored([
            ("received", summary.received), ("added", summary.added), ("unchanged", summary.unchanged),
            ("applied_to_trending", summary.appliedToTrending),
        ])
    }

    /// Parses and validates the body; the first problem is a 400 naming `events[i].field`.
    static func parse(_ data: Data, received: Timestamp = Timestamp.wallClock()) throws -> [EngagementEvent] {
        let allowed: Set<String> = ["id", "site", "article", "type", "time", "reader", "session", "value"]
        return try BatchBody(key: "events", code: "invalid_event").items(data, limit: maxEvents).map { e in
            try e.allow(allowed)
            let typeName = try e.text("type", required: true) ?? ""
            guard let type = EventType(name: typeName) else {
                throw e.bad("type", "unknown event type '\(typeName)'")
            }
            // The importers' rules for ids and numbers (NFC, no control characters, at most 256 bytes; decimal,
            // at most 10^12), so that what is posted can be exported and imported again.
            func id(_ field: String, required: Bool) throws -> String? {
                guard let text = try e.text(field, required: required) else { return nil }
                // An article may be named by its URL (resolved against the site's articles before storing).
                if field == "article", Self.isURL(text) {
                    do {
                        // Checked as a URL, kept as given: an id that looks like a URL is still an id first.
                        _ = try FieldRules.url(text, field: field, at: SourceLocation(file: "POST /v1/events"))
                        return text
                    } catch let error as ImportError {
                        if case .invalidField(_, _, _, let reason) = error { throw e.bad(field, reason) }
                        throw error
                    }
                }
                do {
                    return try FieldRules.id(
                        text, field: field, at: SourceLocation(file: "POST /v1/events", element: e.name))
                } catch let error as ImportError {
                    if case .invalidField(_, _, _, let reason) = error { throw e.bad(field, reason) }
                    throw error
                }
            }
            let value = try e.number("value") ?? 1
            // Well-formed but from the future (a clock or a year typed wrong): 422, not stored. The store refuses it
            // too; checked here first so the answer says what is wrong with the request and not with the data.
            let time = try e.time("time", received: received)
            let latest = Timestamp.latestEventTime(clock: Timestamp.wallClock())
            guard time <= latest else {
                throw APIError(
                    .unprocessableContent, "event_in_future",
                    "\(e.name).time: \(time.iso8601) is in the future: later than \(latest.iso8601), a day after the "
                        + "server's clock")
            }
            guard value.magnitude <= FieldRules.maxMagnitude else {
                throw e.bad("value", "implausibly large (more than 10^12)")
            }
            return EngagementEvent(
                sourceID: try id("id", required: true) ?? "", site: try e.text("site", required: true) ?? "",
                article: try id("article", required: true) ?? "", reader: try id("reader", required: false),
                session: try id("session", required: false), type: type, time: time, value: value)
        }
    }

    static func isURL(_ text: String) -> Bool { FieldRules.hasHTTPScheme(text) }

    /// Events that name their article by URL, with the id of the site's article at that URL (compared
    /// normalised, as on import); 404 `unknown_article` naming the event when the site has none. An article whose
    /// id is that text (some sites use their URLs as ids) is that article.
    func resolvingURLs(_ events: [EngagementEvent]) throws -> [EngagementEvent] {
        var resolved = events
        var known: [String: String] = [:]
        for (i, event) in events.enumerated() where Self.isURL(event.article) {
            let key = event.site + " " + event.article
            if let id = known[key] {
                resolved[i].article = id
                continue
            }
            if try holder.store.article(site: event.site, externalID: event.article) != nil {
                known[key] = event.article
                continue
            }
            guard let article = try holder.store.article(site: event.site, url: event.article) else {
                throw APIError(
                    .notFound, "unknown_article",
                    "events[\(i)].article: no article of site '\(event.site)' has the URL \(event.article)")
            }
            known[key] = article.externalID
            resolved[i].article = article.externalID
        }
        return resolved
    }
}
