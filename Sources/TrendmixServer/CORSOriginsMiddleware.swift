import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization
import Trendmix
import TrendmixCore

/// CORS for the configured partner origins: an allowed `Origin` is echoed with `Vary: Origin`; preflight
/// requests from it get the allowed methods and headers.
struct CORSOriginsMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options {
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = origin
            headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            headers[.accessControlAllowHeaders] = "Content-Type, If-None-Match"
            headers[.accessControlMaxAge] = "600"
            headers[.vary] = "Origin"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = "ETag, Last-Modified"
        // Keep what the answer already varies on (Accept) and add Origin.
        let vary =
            response.headers[.vary].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? []
        if !vary.contains(where: { $0.caseInsensitiveCompare("Origin") == .orderedSame }) {
            response.headers[.vary] = (vary + ["Origin"]).joined(separator: ", ")
        }
        return response
    }
}
