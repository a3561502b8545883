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
/// "article", "position", "reader"?, "time"}]}`, at most 1,000 and 1 MiB.
struct ImpressionsEndpoint: Sendable {
    let holder: LiveEngine

    func post(_ request: Request, context: some RequestContext) async throws -> Response {
        try requireJSONBody(request)
        let body = try await request.body.collect(upTo: EventsEndpoint.maxBytes)
        let interactions = try Self.parse(Data(buffer: body))
        let stored = try holder.record(interactions) {
            SourceLocation(file: "POST /v1/impressions", element: "impressions[\($0)]")
        }
        return BatchBody.stored([
            ("received", interactions.count), ("added", stored.added), ("unchanged", stored.unchanged),
            ("clicks_added", stored.clicks.count),
        ])
    }

    static func parse(_ data: Data) throws -> [WidgetInteraction] {
        let allowed: Set<String> = [
            "id", "kind", "placement", "host", "seed", "site", "article", "position", "reader", "time",
        ]
        let body = BatchBody(key: "impressions", code: "invalid_impression")
        return try body.items(data, limit: EventsEndpoint.maxEvents).map { x in
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
                reader: try x.text("reader", required: false), time: try x.time("time"))
        }
    }
}
