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
