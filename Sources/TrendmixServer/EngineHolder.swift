import Logging
import ServiceLifecycle
import Synchronization
public import Trendmix
public import TrendmixStore

/// The engine every request reads, swapped whole when `trendmix build` stores a new model: a request holds the
/// engine it started with to its end, so a reload never fails or mixes one.
public final class EngineHolder: Sendable {
    public let store: SQLiteArticleStore
    /// The engine and its revision: +1 at every swap (a reload or posted events), so cached answers and entity
    /// tags follow the engine actually answering.
    private let current: Mutex<(engine: RecommendationEngine, revision: UInt64)>
    /// Random per process: revisions restart at 0 with every start, entity tags must not repeat.
    let instance = UInt32.random(in: 0...UInt32.max)

    /// Loads the stored model.
    /// - Throws: ``EngineError/noModel`` before the first `trendmix build`; store errors.
    public init(store: SQLiteArticleStore) throws {
        self.store = store
        current = Mutex((try RecommendationEngine.load(from: store), 0))
    }

    public var engine: RecommendationEngine { current.withLock { $0.engine } }

    /// The engine with its revision, read together.
    public var snapshot: (engine: RecommendationEngine, revision: UInt64) { current.withLock { $0 } }

    /// Serialises posted-event batches: store, then fold into the engine, one batch at a time.
    let writer = Mutex(())
    /// Why the last write failed (disk full, database busy), `nil` once one succeeds: `/healthz` reports it.
    let writeFailure = Mutex<String?>(nil)

    /// Runs a write of posted records under ``writer``, remembering whether it failed for a reason of the store
    /// (not of the input) for `/healthz`.
    func writing<T>(_ body: () throws -> T) throws -> T {
        try writer.withLock { _ in
            do {
                let result = try body()
                writeFailure.withLock { $0 = nil }
                return result
            } catch let error as StoreError {
                writeFailure.withLock { $0 = error.description }
                throw error
            }
        }
    }

    /// Replaces the engine with `update(engine)`, computed outside the lock readers take, unless a reload swapped
    /// in another model meanwhile (that model was built from the store, posted events included). Callers hold
    /// `writer`, so no two updates race.
    public func update(_ update: (RecommendationEngine) -> RecommendationEngine) {
        let base = engine
        let fresh = update(base)
        current.withLock { state in
            if state.engine.stamp == base.stamp { state = (fresh, state.revision + 1) }
        }
    }

    /// Loads the stored model if its stamp differs from the one being served.
    /// - Returns: whether a new model was swapped in.
    @discardableResult
    public func reloadIfChanged() throws -> Bool {
        guard let stamp = try store.modelStamp(), stamp != engine.stamp else { return false }
        let fresh = try RecommendationEngine.load(from: store)
        current.withLock { $0 = (fresh, $0.revision + 1) }
        return true
    }
}

/// Checks the stored model's stamp every `interval` and swaps a new model in; stops at graceful shutdown.
struct ModelReloadService: Service {
    let holder: EngineHolder
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
                if try holder.reloadIfChanged() {
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
