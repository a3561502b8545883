import Foundation
import Hummingbird
import Logging
import Synchronization
import TrendmixCore

/// One line per request at info: method, path (never the query, which holds reader ids), the route it matched,
/// status and latency, as a reverse proxy's access log has them:
/// `GET /v1/sites/beer/widget.html 200 1.84 ms route=/v1/sites/{site}/widget.html`. Errors thrown further in are
/// logged with the status they are answered with. Under load the lines are capped (``AccessLogSampler``): past
/// `perSecond` in a second, requests are counted instead, and the next second starts with one line that says how
/// many went unlogged and with which statuses.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let sampler: AccessLogSampler

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
        let (write, summary) = sampler.admit(status: status)
        if let summary { context.logger.info("\(summary)") }
        guard write else { return }
        let ms = (ContinuousClock.now - start).inMilliseconds
        let route = context.endpointPath.map { " route=\($0)" } ?? ""
        context.logger.info(
            "\(request.method) \(request.uri.path) \(status) \(String(format: "%.2f", ms)) ms\(route)",
            metadata: ["status": "\(status)"])
    }
}

/// Caps access-log lines at `perSecond` a second (0: no cap), counting the rest by status class for a summary
/// line: 1.1M requests logged whole were 198 MB in issue 23's probe.
final class AccessLogSampler: Sendable {
    private struct Window {
        var second: Int64 = .min
        var written = 0
        /// Requests not logged this second, by status class (index 1 to 5: 1xx to 5xx).
        var skipped = [Int](repeating: 0, count: 6)
    }

    let perSecond: Int
    private let window = Mutex(Window())

    init(perSecond: Int) {
        self.perSecond = perSecond
    }

    /// Whether to write this request's line, and a summary of the last second's unlogged requests to write first.
    func admit(status: Int, now: Int64 = Timestamp.wallClock().milliseconds) -> (write: Bool, summary: String?) {
        guard perSecond > 0 else { return (true, nil) }
        let second = now / 1000
        return window.withLock { w in
            var summary: String?
            if second != w.second {
                let total = w.skipped.reduce(0, +)
                if total > 0 {
                    let classes = (1...5).filter { w.skipped[$0] > 0 }.map { "\(w.skipped[$0]) \($0)xx" }
                    summary =
                        "\(total) more requests in the second before not logged one by one (over \(perSecond) a "
                        + "second): \(classes.joined(separator: ", "))"
                }
                w = Window(second: second)
            }
            guard w.written < perSecond else {
                w.skipped[min(5, max(1, status / 100))] += 1
                return (false, summary)
            }
            w.written += 1
            return (true, summary)
        }
    }
}
