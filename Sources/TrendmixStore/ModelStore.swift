public import TrendmixCore

/// The storage of what the engine reads and writes as a whole: a snapshot of a time window with dense ids for
/// the scoring core, and the built model.
///
/// Every conformer passes `Tests/TrendmixStoreTests/Database/ModelStoreContractTests.swift`. The requirements
/// are `async` because a store across a network answers that way; `SQLiteArticleStore` answers synchronously
/// from the same process and meets them with synchronous methods.
public protocol ModelStore: Sendable {
    /// The catalogue (every site, article and tag) and the events and daily rows of `[from, to)` (either end
    /// open when `nil`), with dense ids: sites, articles, tags and readers in the store's row order, events in
    /// the order they were stored, so that two stores with the same history give the same snapshot and the same
    /// model. Its `articleKeys` and `readerKeys` are the store's row ids.
    func snapshot(from: Timestamp?, to: Timestamp?) async throws -> Snapshot
    /// How many events are dated after `time`.
    func eventCount(after time: Timestamp) async throws -> Int
    /// Replaces the stored model, in one transaction: a reader sees the old model or the new one, never a mix.
    /// - Precondition: the model was built from a snapshot of this store (its keys are this store's row ids).
    func saveModel(_ model: StoredModel) async throws
    /// The stored model against the current catalogue (see ``StoredModel/catalogue``), or `nil` before the
    /// first build.
    func loadModel() async throws -> StoredModel?
    /// The stored model's stamp, or `nil` before the first build: cheap, so a server can poll it.
    func modelStamp() async throws -> ModelStamp?
}
