import HummingbirdCore
import Logging
import Metrics
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Every open connection and whether a request is in progress on it, so that the server, at its cap, closes the
/// connection idle the longest to make room for a new one instead of leaving the newcomer in the listen backlog
/// (where a health check waited behind 21,000 idle clients until they left: issue 23).
///
/// Hummingbird's `MaximumAvailableConnections` still stops accepting at the same cap when every connection is busy;
/// this registry keeps one place free as long as some connection is idle.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        var busy = false
        /// The tick at which the connection became idle (opened, or its last response ended).
        var idleSince: UInt64
        var evicting = false
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        /// Idle connections in the order they became idle, oldest first; an element is stale once its entry is gone,
        /// busy, being evicted or idle since a later tick (dropped when reached, or by `compact`).
        var idleOrder: [(id: UInt64, since: UInt64)] = []
        var idleHead = 0
        var tick: UInt64 = 0
        var evicting = 0
        var lastEvictionLog: ContinuousClock.Instant?
    }

    /// Connections open at once; reaching it closes the longest idle one.
    let capacity: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(capacity: Int, logger: Logger) {
        self.capacity = max(1, capacity)
        self.logger = logger
    }

    /// Registers a newly accepted connection (idle: no request yet) and, at the cap, closes the connection idle the
    /// longest. Returns the id the connection's handler reports with.
    func opened(_ channel: any Channel) -> UInt64 {
        let (id, victim, log, open) = state.withLock { state -> (UInt64, (any Channel)?, Bool, Int) in
            var victim: (any Channel)?
            if state.entries.count - state.evicting + 1 >= capacity, let oldest = Self.popOldestIdle(&state) {
                state.entries[oldest]?.evicting = true
                state.evicting += 1
                victim = state.entries[oldest]?.channel
            }
            state.tick += 1
            let id = state.tick
            state.entries[id] = Entry(channel: channel, idleSince: id)
            state.idleOrder.append((id, id))
            var log = false
            if victim != nil {
                let now = ContinuousClock.now
                if state.lastEvictionLog.map({ now - $0 > .seconds(10) }) ?? true {
                    state.lastEvictionLog = now
                    log = true
                }
            }
            return (id, victim, log, state.entries.count)
        }
        if let victim {
            ConnectionMetrics.evicted.increment()
            victim.close(promise: nil)
            if log {
                logger.notice(
                    "at the connection cap: closing the connections idle the longest to make room",
                    metadata: ["max_connections": "\(capacity)"])
            }
        }
        ConnectionMetrics.open.record(open)
        return id
    }

    /// A request's head arrived.
    func busy(_ id: UInt64) {
        state.withLock { $0.entries[id]?.busy = true }
    }

    /// A response ended: the connection waits for its next request.
    func idle(_ id: UInt64) {
        state.withLock { state in
            guard state.entries[id] != nil else { return }
            state.tick += 1
            state.entries[id]?.busy = false
            state.entries[id]?.idleSince = state.tick
            state.idleOrder.append((id, state.tick))
            if state.idleOrder.count - state.idleHead > 2 * state.entries.count + 64 { Self.compact(&state) }
        }
    }

    func closed(_ id: UInt64) {
        let open = state.withLock { state -> Int in
            if let entry = state.entries.removeValue(forKey: id), entry.evicting { state.evicting -= 1 }
            return state.entries.count
        }
        ConnectionMetrics.open.record(open)
    }

    private static func isIdle(_ state: State, _ element: (id: UInt64, since: UInt64)) -> Bool {
        guard let entry = state.entries[element.id] else { return false }
        return !entry.busy && !entry.evicting && entry.idleSince == element.since
    }

    private static func popOldestIdle(_ state: inout State) -> UInt64? {
        while state.idleHead < state.idleOrder.count {
            let element = state.idleOrder[state.idleHead]
            state.idleHead += 1
            if isIdle(state, element) { return element.id }
        }
        return nil
    }

    /// Drops the stale elements of `idleOrder`, keeping the order of the others.
    private static func compact(_ state: inout State) {
        let current = state
        state.idleOrder = state.idleOrder[state.idleHead...].filter { isIdle(current, $0) }
        state.idleHead = 0
    }
}

enum ConnectionMetrics {
    static let open: Gauge = {
        _ = ServerMetrics.registry
        return Gauge(label: "trendmix_connections_open")
    }()
    static let evicted: Counter = {
        _ = ServerMetrics.registry
        return Counter(label: "trendmix_connections_closed_total", dimensions: [("reason", "evicted")])
    }()
    static let headerTimeout: Counter = {
        _ = ServerMetrics.registry
        return Counter(label: "trendmix_connections_closed_total", dimensions: [("reason", "header_timeout")])
    }()
    static let bodyTimeout: Counter = {
        _ = ServerMetrics.registry
        return Counter(label: "trendmix_connections_closed_total", dimensions: [("reason", "body_timeout")])
    }()
}

/// How long a request's parts may take (nil: no limit).
struct RequestTimeouts: Sendable {
    /// From the first byte of a request to the end of its head.
    var head: Duration?
    /// From the end of a request's head to the end of its body.
    var body: Duration?
}

/// Sent down the pipeline by ``ByteArrivalHandler`` when bytes arrive, before the HTTP decoder sees them.
struct BytesArrived {}

/// First in a connection's pipeline: tells ``ConnectionGuardHandler``, after the HTTP decoder, that bytes arrived,
/// so that a request's head is timed from its first byte rather than from its end.
final class ByteArrivalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }
}

/// One per connection, after HTTP decoding: reports the connection's requests to the ``ConnectionRegistry`` and
/// closes it when a request's head or body takes longer than its timeout (a slowloris client, a stalled upload).
/// Hummingbird's own handler closes connections idle between requests.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase {
        /// No request in progress.
        case idle
        /// Bytes of a request arrived; its head is not complete.
        case head
        /// The head arrived; the body is not complete.
        case body
        /// The request arrived whole; the response is not finished.
        case responding
    }

    private let registry: ConnectionRegistry
    private let timeouts: RequestTimeouts
    private var id: UInt64?
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?

    init(registry: ConnectionRegistry, timeouts: RequestTimeouts) {
        self.registry = registry
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { register(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        unregister()
    }

    func channelActive(context: ChannelHandlerContext) {
        register(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        unregister()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is BytesArrived else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if phase == .idle {
            phase = .head
            arm(context, after: timeouts.head, counter: ConnectionMetrics.headerTimeout)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            cancelTimer()
            phase = .body
            if let id { registry.busy(id) }
        case .body:
            break
        case .end:
            cancelTimer()
            phase = .responding
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Timed only when a read leaves a body unfinished: a request that arrives whole costs no timer.
        if phase == .body, timer == nil {
            arm(context, after: timeouts.body, counter: ConnectionMetrics.bodyTimeout)
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            cancelTimer()
            phase = .idle
            if let id { registry.idle(id) }
        }
        context.write(data, promise: promise)
    }

    private func register(_ context: ChannelHandlerContext) {
        guard id == nil else { return }
        id = registry.opened(context.channel)
    }

    private func unregister() {
        guard let id else { return }
        registry.closed(id)
        self.id = nil
    }

    private func arm(_ context: ChannelHandlerContext, after timeout: Duration?, counter: Counter) {
        guard let timeout else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            timer = nil
            counter.increment()
            context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

/// Hummingbird's HTTP/1.1 child channel with ``ByteArrivalHandler`` in front of its HTTP decoder.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(ByteArrivalHandler())
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the connection hygiene of ``ServerConfiguration``: idle timeout (Hummingbird's), head and body
    /// timeouts, and room made at the cap by closing the longest idle connection.
    static func guardedHTTP1(_ configuration: ServerConfiguration, registry: ConnectionRegistry) -> HTTPServerBuilder {
        let timeouts = RequestTimeouts(head: configuration.headerTimeout, body: configuration.bodyTimeout)
        let idle = configuration.idleTimeout.map { TimeAmount($0) }
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                inner: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: [ConnectionGuardHandler(registry: registry, timeouts: timeouts)],
                        idleTimeout: idle)))
        }
    }
}
