import CTrendmixLibc
import Foundation
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
        var trimPending = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            if trimPending {
                // One interval after a swap no request holds the old model (a request keeps it for milliseconds):
                // it is freed on the loads' thread at nice 10 (3.5 to 29.8 ms for a 1M-event model under load, which
                // the request that dropped it last used to pay), and then the freed memory goes back to the
                // system there too. glibc keeps the pages it freed in its arenas: without giving them back, every
                // swap left the server's RSS higher (1M-event model, six swaps without load: 51 to 149 MiB of
                // anonymous memory while the bytes in use stayed 41 MiB; with the trim 41 to 42 MiB throughout).
                trimPending = false
                let clock = ContinuousClock()
                let start = clock.now
                await holder.releaseRetired()
                let released = clock.now
                _ = try? await LowPriorityExecutor.modelLoads.run { Self.returnFreedMemory() }
                logger.info(
                    "freed the model a reload replaced",
                    metadata: [
                        "release_ms": "\(Self.milliseconds(released - start))",
                        "trim_ms": "\(Self.milliseconds(clock.now - released))",
                    ])
            }
            do {
                let clock = ContinuousClock()
                let start = clock.now
                if try await holder.reloadIfChanged() {
                    trimPending = true
                    let stamp = holder.engine.stamp
                    logger.info(
                        "loaded a new model",
                        metadata: [
                            "built_for": "\(stamp.builtFor.iso8601)", "configuration": "\(stamp.configurationHash)",
                            "load_ms": "\(Self.milliseconds(clock.now - start))",
                        ])
                }
            } catch {
                // Keep serving the model in hand; the next check tries again.
                logger.error("model reload failed: \(error)")
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", duration.inMilliseconds)
    }

    /// Gives the memory the allocator holds free back to the system (`malloc_trim`); a no-op elsewhere than glibc.
    static func returnFreedMemory() {
        _ = trendmix_return_freed_memory()
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
