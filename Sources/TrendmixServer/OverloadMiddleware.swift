import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization
import Trendmix
import TrendmixCore

/// Answers 503 with `Retry-After: 1` once `limit` requests are in flight, rather than queueing without bound.
struct OverloadMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let inFlight = InFlight()

    final class InFlight: Sendable {
        let count = Atomic<Int>(0)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let now = inFlight.count.wrappingAdd(1, ordering: .relaxed).newValue
        defer { inFlight.count.wrappingSubtract(1, ordering: .relaxed) }
        guard now <= limit else {
            var error = APIError(.serviceUnavailable, "overloaded", "too many requests in flight; retry shortly")
            error.headers[.retryAfter] = "1"
            throw error
        }
        return try await next(request, context)
    }
}
