import CTrendmixLibc
import Foundation
public import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import Prometheus
import Synchronization
public import Trendmix
import TrendmixCore

/// The request context of every route: Hummingbird's basic one and the peer's address (the beacon rate limit
/// counts per client; writes without a token are taken from the loopback only).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's IP address; nil only in the in-process test client, which has no socket.
    public let peer: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}

/// Builds the HTTP application over the stored model (Hummingbird's template shape: the command parses, this
/// builds, `runService()` runs it with graceful shutdown on SIGTERM and SIGINT).
/// - Throws: store errors; ``EngineError/noModel`` when `trendmix build` has not run.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "trendmix")
    logger.logLevel = configuration.logLevel
    let store = try Stores.open(configuration.database)
    let holder = try await LiveEngine(store: store, test: configuration.test)
    let router = buildRouter(holder: holder, configuration: configuration)
    let connections = ConnectionRegistry(capacity: configuration.maxConnections, logger: logger)
    return Application(
        router: router,
        server: .guardedHTTP1(configuration, registry: connections),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "trendmix",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
        services: [
            ModelReloadService(holder: holder, interval: configuration.reloadInterval, logger: logger),
            EventFeedService(holder: holder, logger: logger),
        ],
        onServerRunning: { channel in
            configuration.onListening?(configuration.host, channel.localAddress?.port ?? configuration.port)
        },
        logger: logger)
}

/// The routes (docs/http-api.md and Sources/TrendmixServer/Resources/openapi.json).
public func buildRouter(holder: LiveEngine, configuration: ServerConfiguration) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let registry = ServerMetrics.registry
    router.addMiddleware {
        // One line per request at info (method, path, status, latency); above it the middleware would only cost time.
        if configuration.accessLog, configuration.logLevel <= .info {
            AccessLogMiddleware(sampler: AccessLogSampler(perSecond: configuration.accessLogPerSecond))
        }
        OverloadMiddleware(limit: configuration.maxInFlight)
        MetricsMiddleware()
        CORSOriginsMiddleware(origins: Set(configuration.corsOrigins))
        JSONErrorMiddleware()
    }
    let api = API(
        holder: holder, maxAge: configuration.cacheMaxAge, cache: ResponseCache(capacity: configuration.cachedAnswers))

    let access = WriteAccess(token: configuration.writeToken)
    let metrics: @Sendable () -> Response = {
        let age = Date().timeIntervalSince1970 - Double(holder.engine.stamp.computedAt.milliseconds) / 1000
        ServerMetrics.modelAge.record(age)
        ServerMetrics.heapInUse.record(trendmix_allocated_bytes())
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
    Routes.register(
        on: router,
        Endpoints(
            api: api, events: EventsEndpoint(holder: holder, access: access),
            impressions: ImpressionsEndpoint(
                holder: holder, access: access, limiter: BeaconLimiter(perMinute: configuration.beaconsPerMinute),
                trustForwardedFor: configuration.trustForwardedFor),
            stats: StatsEndpoint(holder: holder, access: access),
            articles: ArticlesEndpoint(holder: holder, access: access),
            metrics: metrics))
    return router
}

extension RouterMethods {
    /// A GET route that also answers HEAD: the same handler, its status and headers, no body (and no
    /// `Content-Length`, which Hummingbird would otherwise set to the empty body's 0).
    @discardableResult
    func getAndHead(
        _ path: RouterPath, use handler: @Sendable @escaping (Request, Context) async throws -> Response
    ) -> Self {
        on(path, method: .get, use: handler)
        return on(path, method: .head) { request, context -> Response in
            var response = try await handler(request, context)
            response.body = ResponseBody(contentLength: nil) { writer in try await writer.finish(nil) }
            return response
        }
    }
}
