import Foundation
import Hummingbird
import Logging

/// One line per request at info: method, path (never the query, which holds reader ids), status and latency, as
/// a reverse proxy's access log has them: `GET /v1/sites/beer/widget.html 200 1.84 ms`. Errors thrown further in
/// are logged with the status they are answered with.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status.code, since: start)
            throw error
        } catch {
            log(request, context, status: 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "\(request.method) \(request.uri.path) \(status) \(String(format: "%.2f", ms)) ms",
            metadata: ["status": "\(status)"])
    }
}
