import Foundation
import GRDB
import Testing
import TrendmixCore
import TrendmixTestSupport

@testable import TrendmixStore

/// Issue 23: SQLite stores a model through staging tables in short transactions and swaps them in at once, so a
/// server's writes are not held for the length of a build; readers still see one model whole.
@Suite struct StagedModelSaveTests {
    static func fileStore() async throws -> (SQLiteArticleStore, TemporaryDirectory, StoredModel) {
        let dir = try TemporaryDirectory("staged")
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        _ = try store.importRecords(dryRun: false, ModelStoreContractTests.seedWithSession)
        let model = try await ModelStoreContractTests.learn(store, stampedAt: ModelStoreContractTests.now)
        return (store, dir, model)
    }

    static func tables(_ store: SQLiteArticleStore) async throws -> [String] {
        try await store.writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'model%' ORDER BY name")
        }
    }

    @Test func aModelSavedOneRowATransactionLoadsBackWhole() async throws {
        let (store, dir, model) = try await Self.fileStore()
        defer { withExtendedLifetime(dir) {} }
        try store.saveModel(model)
        let inOne = try #require(try store.loadModel())
        try store.saveModel(model, rowsPerTransaction: 1)
        let rowByRow = try #require(try store.loadModel())
        #expect(rowByRow.learned.neighbours.neighbours == inOne.learned.neighbours.neighbours)
        #expect(rowByRow.learned.neighbours.similarity == inOne.learned.neighbours.similarity)
        #expect(rowByRow.learned.sessionNeighbours.neighbours == inOne.learned.sessionNeighbours.neighbours)
        #expect(rowByRow.learned.affinity.weights == inOne.learned.affinity.weights)
        #expect(rowByRow.learned.trending.score == inOne.learned.trending.score)
        #expect(!inOne.learned.sessionNeighbours.neighbours.isEmpty && !inOne.learned.affinity.weights.isEmpty)
        #expect(
            try await Self.tables(store) == [
                "model", "model_affinity", "model_article", "model_neighbour",
                "model_session_neighbour",
            ])
    }

    @Test func stagingTablesABuildKilledMidwayLeftAreDroppedByTheNextSave() async throws {
        let (store, dir, model) = try await Self.fileStore()
        defer { withExtendedLifetime(dir) {} }
        try store.saveModel(model)
        let before = try #require(try store.loadModel())
        // What a build killed while staging (or between the swap and the drop) leaves behind.
        try await store.writer.write { db in
            try db.execute(sql: "CREATE TABLE model_neighbour_staged (article_id INTEGER, junk TEXT)")
            try db.execute(sql: "INSERT INTO model_neighbour_staged VALUES (1, 'half a build')")
            try db.execute(sql: "CREATE TABLE model_affinity_replaced (x)")
        }
        // The served model is untouched by the leftovers.
        let meanwhile = try #require(try store.loadModel())
        #expect(meanwhile.learned.neighbours.neighbours == before.learned.neighbours.neighbours)
        try store.saveModel(model)
        #expect(
            try await Self.tables(store) == [
                "model", "model_affinity", "model_article", "model_neighbour",
                "model_session_neighbour",
            ])
        #expect(try await store.writer.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func anIndexTrendmixDidNotMakeOnAModelTableStopsTheSaveNamingIt() async throws {
        let (store, dir, model) = try await Self.fileStore()
        defer { withExtendedLifetime(dir) {} }
        try store.saveModel(model)
        try await store.writer.write { db in
            try db.execute(sql: "CREATE INDEX mine ON model_neighbour(similarity)")
        }
        #expect {
            try store.saveModel(model)
        } throws: { error in
            "\(error)".contains("model_neighbour has an index that Trendmix did not make")
        }
        #expect(try store.modelStamp() == model.stamp, "the stored model is kept")
    }

    @Test func twoSavesAtOnceOverOneFileEndWithOneOfTheModelsWhole() async throws {
        let (store, dir, model) = try await Self.fileStore()
        defer { withExtendedLifetime(dir) {} }
        let other = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        let later = {
            var changed = model
            changed.stamp.configurationHash = "later"
            return changed
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try store.saveModel(model, rowsPerTransaction: 1) }
            group.addTask { try other.saveModel(later, rowsPerTransaction: 1) }
            try await group.waitForAll()
        }
        let loaded = try #require(try store.loadModel())
        #expect(["h400000", "later"].contains(loaded.stamp.configurationHash))
        #expect(loaded.learned.neighbours.neighbours == model.learned.neighbours.neighbours)
        #expect(try await Self.tables(store).count == 5)
    }
}
