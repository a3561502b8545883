import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// `POST /v1/impressions`: what the widgets showed and what readers clicked, with the box's placement and each
/// item's position, so widgets' own performance can be measured (`ArticleStore.interactionSummary()`).
/// Idempotent by host site and id; a click is also an engagement event (type `click`, id `click:<id>`) on the
/// clicked article, stored and folded into trending like `POST /v1/events`.
///
/// Body: `{"impressions": [{"id", "kind"?: "impression" | "click", "placement", "host", "seed"?, "site",
/// "article", "position", "reader"?, "variant"?, "time"?}]}`; without `time`, the server's clock.
///
/// Two kinds of sender. A back end (the write token, or the loopback when the server has none, and no `Origin`
/// header) may post 1,000 a request and 1 MiB. A browser's beacon (`/v1/embed.js` sends them with
/// `navigator.sendBeacon`, as `text/plain` so that no preflight is needed) needs no token, but is held to 100 a
/// request, 64 KiB, and ``BeaconLimiter``'s rate per client.
struct ImpressionsEndpoint: Sendable {
    let holder: LiveEngine
    let access: WriteAccess
    let limiter: BeaconLimiter
    let trustForwardedFor: Bool
    static let beaconMaxBytes = 64 << 10
    static let beaconMaxItems = 100

    func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireJSONBody(request, orPlainText: true)
        let backEnd = request.headers[.origin] == nil && (try? access.check(request, context: context)) != nil
        let body = try await request.body.collect(upTo: backEnd ? EventsEndpoint.maxBytes : Self.beaconMaxBytes)
        let received = Timestamp.wallClock()
        let interactions = try Self.parse(
            Data(buffer: body), limit: backEnd ? EventsEndpoint.maxEvents : Self.beaconMaxItems, received: received)
        if !backEnd {
            try limiter.take(
                interactions.count,
                client: BeaconLimiter.client(request, context, trustForwardedFor: trustForwardedFor))
        }
        let stored = try await holder.record(interactions) {
            SourceLocation(file: "POST /v1/impressions", element: "impressions[\($0)]")
        }
        return BatchBody.stored([
            ("received", interactions.count), ("added", stored.added), ("unchanged", stored.unchanged),
            ("clicks_added", stored.clicks.count),
        ])
    }

    static func parse(
        _ data: Data, limit: Int = EventsEndpoint.maxEvents, received: Timestamp = Timestamp.wallClock()
    ) throws -> [WidgetInteraction] {
        let allowed: Set<String> = [
            "id", "kind", "placement", "host", "seed", "site", "article", "position", "reader", "variant", "time",
        ]
        let body = BatchBody(key: "impressions", code: "invalid_impression")
        return try body.items(data, limit: limit).map { x in
            try x.allow(allowed)
            let kindName = try x.text("kind", required: false) ?? "impression"
            guard let kind = WidgetInteraction.Kind(rawValue: kindName) else {
                throw x.bad("kind", "expected impression or click, got '\(kindName)'")
            }
            guard let position = try? x.number("position"), position == position.rounded(),
                (1...1000).contains(position)
            else { throw x.bad("position", "required: a whole number from 1 to 1000") }
            return WidgetInteraction(
                sourceID: try x.text("id", required: true) ?? "", kind: kind,
                placement: try x.text("placement", required: true) ?? "",
                host: try x.text("host", required: true) ?? "",
                seed: try x.text("seed", required: false), site: try x.text("site", required: true) ?? "",
                article: try x.text("article", required: true) ?? "", position: Int(position),
                reader: try x.text("reader", required: false), variant: try Self.variant(x),
                time: try x.time("time", received: received))
        }
    }

    /// A variant's name as `serve --variant` allows it (the box's `data-variant`), or nil.
    static func variant(_ x: BatchItem) throws -> String? {
        guard let name = try x.text("variant", required: false) else { return nil }
        guard ABVariant.isValidName(name) else { throw x.bad("variant", ABVariant.nameRule) }
        return name
    }
}
