import Foundation
import Hummingbird

enum Routes {
    static let table: [Route] = {
        var routes = [
            Route(.get, "healthz") { e, _, _, _ in e.api.health() },
            Route(.get, "metrics") { e, _, _, _ in e.metrics() },
            Route(.get, "openapi.json") { _, _, _, _ in StaticResource.openAPI.response() },
            Route(.get, "v1/embed.js") { _, _, _, _ in StaticResource.embedScript.response() },
            Route(.get, "v1/widget.css") { _, _, _, _ in StaticResource.widgetStylesheet.response() },
            Route(.post, "v1/events") { e, request, context, _ in try await e.events.post(request, context: context) },
            Route(.post, "v1/articles") { e, request, context, _ in
                try await e.articles.post(request, context: context)
            },
            Route(.post, "v1/impressions") { e, request, context, _ in
                try await e.impressions.post(request, context: context)
            },
            Route(.get, "v1/stats/ctr", query: ["by"]) { e, request, context, allowed in
                try await e.stats.ctr(request, context: context, allowed: allowed)
            },
            Route(
                .get, "v1/articles/:id/recommendations", query: ["k", "site", "visit", "reader", "exclude", "explain"]
            ) {
                e, request, context, allowed in
                try e.api.recommendations(request, article: try articleID(context), allowed: allowed)
            },
            Route(.get, "v1/sites/:site/trending", query: ["k", "exclude", "tag", "reader", "explain"]) {
                e, request, context, allowed in
                try e.api.trending(request, site: try context.parameters.require("site"), allowed: allowed)
            },
        ]
        for (suffix, format) in [("widget", nil), ("widget.json", API.Format.json), ("widget.html", API.Format.html)] {
            routes.append(
                Route(.get, "v1/sites/:site/\(suffix)", query: ["k", "reader", "exclude"]) {
                    e, request, context, allowed in
                    try e.api.widget(
                        request, site: try context.parameters.require("site"), article: nil, format: format,
                        allowed: allowed)
                })
            routes.append(
                Route(.get, "v1/articles/:id/\(suffix)", query: ["k", "site", "visit", "reader", "exclude"]) {
                    e, request, context, allowed in
                    try e.api.widget(
                        request, site: nil, article: try articleID(context), format: format, allowed: allowed)
                })
        }
        return routes
    }()

    /// Registers every route of ``table``.
    static func register(on router: Router<AppRequestContext>, _ endpoints: Endpoints) {
        for route in table {
            let allowed = Set(route.query)
            let handler: @Sendable (Request, AppRequestContext) async throws -> Response = { request, context in
                try await route.handler(endpoints, request, context, allowed)
            }
            if route.method == .get {
                router.getAndHead(RouterPath(route.path), use: handler)
            } else {
                router.on(RouterPath(route.path), method: route.method, use: handler)
            }
        }
    }

    /// The methods a path serves (every GET route also answers HEAD), `nil` for a path no route has.
    static func allowedMethods(_ path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let methods = table.filter { route in
            let pattern = route.pattern
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0 == "*" || $0 == $1 }
        }.map(\.method)
        guard !methods.isEmpty else { return nil }
        return methods.contains(.get) ? methods + [.head] : methods
    }
}

/// The `{id}` path segment, percent-decoded (an article's URL arrives encoded).
func articleID(_ context: AppRequestContext) throws -> String {
    let raw = try context.parameters.require("id")
    return raw.removingPercentEncoding ?? raw
}
