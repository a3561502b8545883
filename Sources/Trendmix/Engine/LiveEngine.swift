import Synchronization
public import TrendmixCore
public import TrendmixStore

/// The engine a server answers from, over the store it was loaded from: the one place where posted records are
/// validated, stored and folded into the model being served, and where a newly built model is swapped in.
///
/// A reader takes the current engine and keeps it to the end of its request, so a reload or an ingest never
/// fails a request or mixes two models in one answer.
public final class LiveEngine: Sendable {
    public let store: any Storage
    /// The engine and its revision: +1 at every swap (a reload or ingested records), so cached answers and
    /// entity tags follow the engine actually answering; with an A/B test, each variant's engine over the same
    /// model (``RecommendationEngine/reconfigured(_:)``), swapped with it.
    private let current: Mutex<(engine: RecommendationEngine, revision: UInt64, variants: [RecommendationEngine])>
    /// The A/B test being served, if any (`serve --variant`).
    public let test: ABTest?
    /// Random per process: revisions restart at 0 with every start, entity tags must not repeat.
    public let instance = UInt32.random(in: 0...UInt32.max)
    /// Serialises writes: store, then fold into the engine, one batch at a time.
    private let writer = Mutex(())
    /// Why the last write failed for a reason of the store (disk full, database busy), `nil` once one succeeds.
    private let failure = Mutex<String?>(nil)
    /// While a reload loads a model: the writes folded meanwhile, to fold into the loaded one before it is swapped
    /// in (a model loaded before an article's takedown must not bring it back). `nil` when no reload runs.
    private let sinceLoad = Mutex<[Write]?>(nil)
    /// The engines a reload replaced, kept until ``releaseRetired()`` so that freeing them (a model's millions of
    /// allocations) happens on the load's thread rather than on a thread answering requests, which would drop the
    /// last reference otherwise.
    private let retired = Mutex<[RecommendationEngine]>([])
    /// A stored model this server refused to serve (an A/B variant would need another build): not loaded again.
    private let refused = Mutex<ModelStamp?>(nil)

    /// Posted batches waiting for the next group commit (``commitQueued()``).
    private let queued = Mutex<[Queued]>([])

    private enum Write {
        case events([EngagementEvent])
        case articles([Article])
    }

    /// A posted batch of events or interactions: what it writes, and who waits for the outcome.
    private struct Queued: Sendable {
        /// Writes the batch; returns the events it added (to fold into trending).
        let body: @Sendable (any ImportWriter) throws -> [EngagementEvent]
        let done: @Sendable (Result<(ImportSummary, [EngagementEvent]), any Error>) -> Void
    }

    /// Output of a queued body, kept for the batch's own summary (set on the write thread, read after).
    private final class Box<T>: @unchecked Sendable {
        var value: T
        init(_ value: T) { self.value = value }
    }

    /// Loads the stored model.
    /// - Throws: ``EngineError/noModel`` before the first `trendmix build`; store errors.
    /// - Throws: ``ConfigurationError`` for a variant that would need another build (``ABTest/checkServable(on:)``).
    public init(store: any Storage, configuration: EngineConfiguration? = nil, test: ABTest? = nil) async throws {
        self.store = store
        self.test = test
        let engine = try await RecommendationEngine.load(from: store, configuration: configuration)
        try test?.checkServable(on: engine.configuration)
        current = Mutex((engine, 0, Self.variants(of: engine, test)))
    }

    private static func variants(of engine: RecommendationEngine, _ test: ABTest?) -> [RecommendationEngine] {
        test?.variants.map { engine.reconfigured($0.configuration) } ?? []
    }

    public var engine: RecommendationEngine { current.withLock { $0.engine } }

    /// The engine with its revision, read together.
    public var snapshot: (engine: RecommendationEngine, revision: UInt64) {
        current.withLock { ($0.engine, $0.revision) }
    }

    /// The engine a reader's boxes come from, its revision, and the name of their arm of the A/B test (nil
    /// without a test or a reader: anonymous boxes are the control's and belong to no arm).
    public func snapshot(reader: String?) -> (engine: RecommendationEngine, revision: UInt64, variant: String?) {
        guard let test, let reader else {
            let (engine, revision) = snapshot
            return (engine, revision, nil)
        }
        let arm = test.assign(reader: reader)
        return current.withLock { state in
            (arm.map { state.variants[$0] } ?? state.engine, state.revision, test.name(of: arm))
        }
    }

    /// Whether a reload is loading a model now (the writes meanwhile are kept to fold into it).
    package var isReloading: Bool { sinceLoad.withLock { $0 != nil } }

    /// Why the last write failed for a reason of the store, `nil` when it succeeded: health checks report it.
    public var lastWriteFailure: String? { failure.withLock { $0 } }

    /// Stores engagement events in one transaction, idempotent by (site, event id), and folds the new ones into
    /// the trending scores being served (``RecommendationEngine/addingEngagement(_:)``) without a rebuild.
    /// - Parameter location: names each event in errors (`events[3]`).
    /// - Throws: ``ImportError`` naming the event and field (nothing of the batch is stored); store errors.
    ///
    /// Batches posted meanwhile are stored together (``commitQueued()``): one transaction, each batch in a
    /// savepoint of its own, and one fold into trending.
    public func ingest(
        _ events: [EngagementEvent], location: @escaping @Sendable (Int) -> SourceLocation
    ) async throws -> IngestSummary {
        let (summary, fresh) = try await commitGrouped { writer in
            var fresh: [EngagementEvent] = []
            for (i, event) in events.enumerated() where try writer.addEvent(event, at: location(i)) {
                fresh.append(event)
            }
            return fresh
        }
        return IngestSummary(
            received: events.count, added: summary.events.added, unchanged: summary.events.unchanged,
            appliedToTrending: engine.applicable(fresh))
    }

    /// Creates or updates articles in one transaction (as a canonical import does: every field as given, tags
    /// replaced) and applies their title, URL, card and expiry to the engine being served at once
    /// (``RecommendationEngine/updatingArticles(_:)``); new articles enter boxes with the next build.
    /// - Throws: ``ImportError`` naming the article and field (nothing of the batch is stored); store errors.
    public func storeArticles(
        _ articles: [Article], location: @escaping @Sendable (Int) -> SourceLocation
    ) async throws -> (summary: ImportSummary.Counts, applied: Int) {
        try await writing { [self] in
            let summary = try store.importRecords(dryRun: false) { writer in
                for (i, article) in articles.enumerated() {
                    try writer.upsertArticle(article, keepingOtherTags: false, at: location(i))
                }
            }
            sinceLoad.withLock { $0?.append(.articles(articles)) }
            let (base, _, baseVariants) = current.withLock { $0 }
            let (fresh, applied) = base.updatingArticles(articles)
            let variants = baseVariants.map { $0.updatingArticles(articles).engine }
            if applied > 0 {
                current.withLock { state in
                    if state.engine.stamp == base.stamp { state = (fresh, state.revision + 1, variants) }
                }
            }
            return (summary.articles, applied)
        }
    }

    /// Stores widget impressions and clicks (``ArticleStore/record(_:location:)``) and folds the new clicks into
    /// trending, as ``ingest(_:location:)`` does with events.
    public func record(
        _ interactions: [WidgetInteraction], location: @escaping @Sendable (Int) -> SourceLocation
    ) async throws -> InteractionsRecorded {
        let stored = Box(InteractionsRecorded())
        _ = try await commitGrouped { writer in
            stored.value = try writer.record(interactions, location: location)
            return stored.value.clicks
        }
        return stored.value
    }

    /// Queues a batch for the next group commit and waits for its outcome.
    private func commitGrouped(
        _ body: @escaping @Sendable (any ImportWriter) throws -> [EngagementEvent]
    ) async throws -> (ImportSummary, [EngagementEvent]) {
        try await withCheckedThrowingContinuation { continuation in
            queued.withLock {
                $0.append(Queued(body: body, done: { continuation.resume(with: $0) }))
            }
            StoreExecutor.writes.submit { self.commitQueued() }
        }
    }

    /// On the write thread: stores every queued batch in one ``ArticleStore/importGrouped(_:)`` (a batch that
    /// fails is left out alone), folds all their new events into trending at once, and answers each. Batches
    /// queued while it runs wait for the next call (each queued batch submitted one).
    private func commitQueued() {
        let batch = queued.withLock { queue in
            defer { queue = [] }
            return queue
        }
        guard !batch.isEmpty else { return }
        let added = batch.map { _ in Box<[EngagementEvent]>([]) }
        let bodies: [(any ImportWriter) throws -> Void] = zip(batch, added).map { item, box in
            { writer in box.value = try item.body(writer) }
        }
        let outcomes: [Result<ImportSummary, any Error>] = writer.withLock { _ in
            let outcomes: [Result<ImportSummary, any Error>]
            do {
                outcomes = try store.importGrouped(bodies)
                // A batch may fail alone for a reason of the store (the disk filled up in its savepoint).
                let reason = outcomes.lazy.compactMap { outcome -> String? in
                    guard case .failure(let error as StoreError) = outcome else { return nil }
                    return error.description
                }.first
                failure.withLock { $0 = reason }
            } catch {
                if let error = error as? StoreError { failure.withLock { $0 = error.description } }
                outcomes = batch.map { _ in .failure(error) }
            }
            let fresh = zip(outcomes, added).flatMap { outcome, box in
                (try? outcome.get()) == nil ? [] : box.value
            }
            _ = fold(fresh)
            return outcomes
        }
        for (i, item) in batch.enumerated() {
            item.done(outcomes[i].map { ($0, added[i].value) })
        }
    }

    /// Folds the events other servers store into the engine being served, as if they were posted here, where the
    /// store is shared (``EventFeed``: PostgreSQL); `nil` for a store of one process.
    public func followOtherServers(trouble: @escaping @Sendable (String) -> Void) -> EventFollowing? {
        guard let feed = store as? any EventFeed else { return nil }
        return feed.followEvents(
            { [weak self] events in
                guard let self else { return }
                self.writer.withLock { _ in _ = self.fold(events) }
            }, trouble: trouble)
    }

    /// Loads the stored model if its stamp differs from the one being served.
    /// - Returns: whether a new model was swapped in.
    @discardableResult
    public func reloadIfChanged() async throws -> Bool {
        // The engines the last reload replaced, one check later: an engine is never kept past the next check.
        await releaseRetired()
        let store = self.store
        guard let stamp = try await StoreExecutor.reads.run({ try await store.modelStamp() }), stamp != engine.stamp,
            stamp != refused.withLock({ $0 })
        else { return false }
        writer.withLock { _ in sinceLoad.withLock { $0 = [] } }
        defer { sinceLoad.withLock { $0 = nil } }
        // Read and indexed off the threads requests share, at a lower priority than theirs; the swap below is a
        // pointer exchange.
        var fresh = try await LowPriorityExecutor.modelLoads.run { try await RecommendationEngine.load(from: store) }
        if let test {
            // A build with other settings makes some variant need another build: keep serving the model in hand,
            // and do not load this one again.
            do {
                try test.checkServable(on: fresh.configuration)
            } catch {
                refused.withLock { $0 = stamp }
                throw error
            }
        }
        var variants = Self.variants(of: fresh, test)
        // The writes stored while the model loaded, folded in at the load's priority and outside the writer lock
        // (posts wait for that lock), in rounds while more arrive; only the last few under the lock.
        var replayed = 0
        for _ in 0..<4 {
            let pending = sinceLoad.withLock { Array(($0 ?? []).dropFirst(replayed)) }
            guard pending.count > 4 else { break }
            (fresh, variants) = try await LowPriorityExecutor.modelLoads.run { [fresh, variants] in
                Self.replay(pending, into: fresh, variants)
            }
            replayed += pending.count
        }
        // Under the writer lock, no write slips between the replay and the swap.
        writer.withLock { _ in
            let rest = sinceLoad.withLock { Array(($0 ?? []).dropFirst(replayed)) }
            (fresh, variants) = Self.replay(rest, into: fresh, variants)
            let old = current.withLock { state in
                defer { state = (fresh, state.revision + 1, variants) }
                return [state.engine] + state.variants
            }
            retired.withLock { $0 += old }
        }
        return true
    }

    /// Frees the engines earlier reloads replaced, on the thread of the loads (at its lower priority), once the
    /// requests that took one have ended (a second after the swap is plenty); the next ``reloadIfChanged()`` does
    /// it too. An engine a request still holds is freed by that request.
    public func releaseRetired() async {
        // Held in a box only, so that emptying the box inside the closure drops the last reference there.
        let engines = Box(
            retired.withLock { list in
                defer { list = [] }
                return list
            })
        guard !engines.value.isEmpty else { return }
        _ = try? await LowPriorityExecutor.modelLoads.run { engines.value = [] }
    }

    /// Folds `writes` into `engine` and the variants in their order, consecutive event batches as one (each
    /// fold re-sorts the trending order of the sites it touches: one fold for a run of batches, not one each).
    private static func replay(
        _ writes: [Write], into engine: RecommendationEngine, _ variants: [RecommendationEngine]
    ) -> (RecommendationEngine, [RecommendationEngine]) {
        var engine = engine
        var variants = variants
        var events: [EngagementEvent] = []
        func flush() {
            guard !events.isEmpty else { return }
            engine = engine.addingEngagement(events).engine
            variants = variants.map { $0.addingEngagement(events).engine }
            events = []
        }
        for write in writes {
            switch write {
            case .events(let batch):
                events += batch
            case .articles(let articles):
                flush()
                engine = engine.updatingArticles(articles).engine
                variants = variants.map { $0.updatingArticles(articles).engine }
            }
        }
        flush()
        return (engine, variants)
    }

    /// Runs a write under ``writer`` on ``StoreExecutor/writes`` (off the threads requests share: a write may
    /// wait seconds for another process's lock), remembering whether it failed for a reason of the store (not of
    /// the input).
    private func writing<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await StoreExecutor.writes.run {
            try self.writer.withLock { _ in
                do {
                    let result = try body()
                    self.failure.withLock { $0 = nil }
                    return result
                } catch let error as StoreError {
                    self.failure.withLock { $0 = error.description }
                    throw error
                }
            }
        }
    }

    /// Folds stored events into the served engine, computed outside the lock readers take, unless a reload
    /// swapped in another model meanwhile (that model was built from the store, these events included). Callers
    /// hold ``writer``, so no two folds race.
    /// - Returns: how many events the model took in.
    private func fold(_ events: [EngagementEvent]) -> Int {
        guard !events.isEmpty else { return 0 }
        sinceLoad.withLock { $0?.append(.events(events)) }
        let (base, _, baseVariants) = current.withLock { $0 }
        let (fresh, applied) = base.addingEngagement(events)
        let variants = baseVariants.map { $0.addingEngagement(events).engine }
        current.withLock { state in
            if state.engine.stamp == base.stamp { state = (fresh, state.revision + 1, variants) }
        }
        return applied
    }
}
