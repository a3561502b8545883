import Logging
import ServiceLifecycle
import Trendmix

/// Checks the stored model's stamp every `interval` and swaps a new model in (``LiveEngine/reloadIfChanged()``);
/// stops at graceful shutdown.
struct ModelReloadService: Service {
    let holder: LiveEngine
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                if try await holder.reloadIfChanged() {
                    let stamp = holder.engine.stamp
                    logger.info(
                        "loaded a new model",
                        metadata: [
                            "built_for": "\(stamp.builtFor.iso8601)", "configuration": "\(stamp.configurationHash)",
                        ])
                }
            } catch {
                // Keep serving the model in hand; the next check tries again.
                logger.error("model reload failed: \(error)")
            }
        }
    }
}

/// Follows the events the other servers over the same database store (``LiveEngine/followOtherServers(trouble:)``)
/// until graceful shutdown; over a store of one process it only waits.
struct EventFeedService: Service {
    let holder: LiveEngine
    let logger: Logger

    func run() async throws {
        let logger = logger
        let following = holder.followOtherServers(trouble: { reason in
            logger.error("lost the feed of other servers' events (reconnecting): \(reason)")
        })
        // Returns only at shutdown, feed or not: a service that ends stops the server's group.
        try? await gracefulShutdown()
        following?.stop()
    }
}
