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
