import Foundation
import Hummingbird

/// One served route: its method (a GET route also answers HEAD), its path (`:name` marks a path parameter), the
/// query parameters it reads (any other is a 400 naming it) and its handler. ``Routes/table`` is the one list:
/// the router registers it, 405 answers read it, and a test checks that openapi.json documents exactly it.
struct Route: Sendable {
    typealias Handler = @Sendable (Endpoints, Request, AppRequestContext, Set<String>) async throws -> Response

    let method: HTTPRequest.Method
    let path: String
    let query: [String]
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, query: [String] = [], _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.query = query
        self.handler = handler
    }

    /// The path's segments, with `*` for a parameter.
    var pattern: [String] { path.split(separator: "/").map { $0.hasPrefix(":") ? "*" : String($0) } }

    /// The path as OpenAPI writes it: `/v1/sites/{site}/trending`.
    var openAPIPath: String {
        "/"
            + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(
                separator: "/")
    }

    /// The path parameters' names.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}

/// What the handlers answer from.
struct Endpoints: Sendable {
    let api: API
    let events: EventsEndpoint
    let impressions: ImpressionsEndpoint
    let metrics: @Sendable () -> Response
}

enum Routes {
    static let table: [Route] = {
        var routes = [
            Route(.get, "healthz") { e, _, _, _ in e.api.health() },
            Route(.get, "metrics") { e, _, _, _ in e.metrics() },
            Route(.get, "openapi.json") { _, _, _, _ in OpenAPIDocument.response() },
            Route(.post, "v1/events") { e, request, context, _ in try await e.events.post(request, context: context) },
            Route(.post, "v1/impressions") { e, request, context, _ in
                try await e.impressions.post(request, context: context)
            },
            Route(.get, "v1/articles/:id/recommendations", query: ["k", "site", "reader", "exclude", "explain"]) {
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
                Route(.get, "v1/sites/:site/\(suffix)", query: ["k"]) { e, request, context, allowed in
                    try e.api.widget(
                        request, site: try context.parameters.require("site"), article: nil, format: format,
                        allowed: allowed)
                })
            routes.append(
                Route(.get, "v1/articles/:id/\(suffix)", query: ["k", "site"]) { e, request, context, allowed in
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
