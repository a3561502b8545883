import Foundation
import GRDB
import GRDBSQLite
import TrendmixCore

extension SQLiteArticleStore: ModelStore {
    /// Replaces the stored model with `model`, in one transaction.
    /// - Precondition: the model was built from a snapshot of this store (it carries the row ids).
    public func saveModel(_ model: StoredModel) throws {
        try Self.namingWriteFailures(path) {
            try writeModel(model.learned, keys: model.catalogue.articleKeys, model.stamp)
        }
    }

    private func writeModel(_ model: LearnedModel, keys: [Int64], _ stamp: ModelStamp) throws {
        try writer.write { db in
            for table in ["model", "model_neighbour", "model_session_neighbour", "model_article", "model_affinity"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(
                sql: """
                    INSERT INTO model(id, built_for, computed_at, configuration, configuration_hash, basket_count,
                                      window_start, window_end, session_basket_count, calibration)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stamp.builtFor.milliseconds, stamp.computedAt.milliseconds, stamp.configuration,
                    stamp.configurationHash, model.neighbours.basketCount, stamp.windowStart?.milliseconds,
                    stamp.windowEnd?.milliseconds, model.sessionNeighbours.basketCount,
                    try model.calibration.map(CalibrationJSON.encode),
                ])
            try saveRows(model.neighbours, table: "model_neighbour", keys: keys, db)
            try saveRows(model.sessionNeighbours, table: "model_session_neighbour", keys: keys, db)
            let article = try db.makeStatement(
                sql: """
                    INSERT INTO model_article(article_id, occurrences, trending, recent_rate, baseline_rate, site_prior,
                                              session_occurrences, total, first_seen, reach)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let t = model.trending
            for a in 0..<keys.count {
                try article.execute(arguments: [
                    keys[a], model.neighbours.occurrences[a], t.score[a], t.recentRate[a], t.baselineRate[a],
                    t.sitePrior[a], model.sessionNeighbours.occurrences[a], t.total[a],
                    t.firstSeen[a] == .max ? nil : t.firstSeen[a], t.reach[a],
                ])
            }
            let affinity = try db.makeStatement(
                sql: "INSERT INTO model_affinity(reader_id, article_id, weight) VALUES (?, ?, ?)")
            let rawAffinity = affinity.sqliteStatement
            for u in 0..<model.affinity.readerCount {
                for m in model.affinity.row(u) {
                    sqlite3_reset(rawAffinity)
                    sqlite3_bind_int64(rawAffinity, 1, model.readerKeys[u])
                    sqlite3_bind_int64(rawAffinity, 2, keys[Int(model.affinity.articles[m])])
                    sqlite3_bind_double(rawAffinity, 3, model.affinity.weights[m])
                    try step(rawAffinity, db)
                }
            }
        }
    }

    /// Writes one neighbour index's rows (store row ids, rank 0 = best).
    private func saveRows(_ index: NeighbourIndex, table: String, keys: [Int64], _ db: Database) throws {
        let statement = try db.makeStatement(
            sql: "INSERT INTO \(table)(article_id, rank, neighbour_id, similarity, count) VALUES (?, ?, ?, ?, ?)")
        let raw = statement.sqliteStatement
        for a in 0..<index.articleCount {
            for (rank, n) in index.row(a).enumerated() {
                sqlite3_reset(raw)
                sqlite3_bind_int64(raw, 1, keys[a])
                sqlite3_bind_int64(raw, 2, Int64(rank))
                sqlite3_bind_int64(raw, 3, keys[Int(index.neighbours[n])])
                sqlite3_bind_double(raw, 4, index.similarity[n])
                sqlite3_bind_int64(raw, 5, Int64(index.count[n]))
                try step(raw, db)
            }
        }
    }

    /// Reads one neighbour index's rows against the catalogue's `index` (row id → article), in article order.
    /// Columns are read straight from the statement into flat arrays: the widget benchmark's 1M-article model
    /// has 21.7M neighbour rows and 10.0M session rows, and decoding each through GRDB's `Row` into a
    /// per-article array was most of the load.
    private func loadRows(
        table: String, index: RowIDIndex, count: Int, occurrences: [Int32], basketCount: Int, _ db: Database
    ) throws -> NeighbourIndex {
        let expected = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
        var neighbours: [Int32] = []
        var similarity: [Double] = []
        var counts: [Int32] = []
        neighbours.reserveCapacity(expected)
        similarity.reserveCapacity(expected)
        counts.reserveCapacity(expected)
        var rowLength = [Int](repeating: 0, count: count)
        let statement = try db.makeStatement(
            sql: "SELECT article_id, neighbour_id, similarity, count FROM \(table) ORDER BY article_id, rank")
        let raw = statement.sqliteStatement
        try Self.rows(raw, db) {
            // Rows of articles no longer in the catalogue, or pointing at one, are left out.
            guard let a = index[sqlite3_column_int64(raw, 0)], let j = index[sqlite3_column_int64(raw, 1)] else {
                return
            }
            neighbours.append(j)
            similarity.append(sqlite3_column_double(raw, 2))
            counts.append(Int32(truncatingIfNeeded: sqlite3_column_int64(raw, 3)))
            rowLength[Int(a)] += 1
        }
        // Catalogue positions ascend with row ids (the snapshot reads articles by id), so rows read by
        // article_id arrive in article order and the offsets are the running sum of the row lengths.
        var offsets = [Int](repeating: 0, count: count + 1)
        for a in 0..<count { offsets[a + 1] = offsets[a] + rowLength[a] }
        return NeighbourIndex(
            offsets: offsets, neighbours: neighbours, similarity: similarity, count: counts, occurrences: occurrences,
            basketCount: basketCount)
    }

    private func step(_ statement: OpaquePointer, _ db: Database) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw Self.failure(code, db) }
    }

    /// The stored model's stamp, or `nil` when no model was built.
    public func modelStamp() throws -> ModelStamp? {
        try writer.read { db in try readStamp(db) }
    }

    private func readStamp(_ db: Database) throws -> ModelStamp? {
        do {
            return try Row.fetchOne(
                db,
                sql:
                    "SELECT built_for, computed_at, configuration, configuration_hash, window_start, window_end FROM model"
            ).map { row in
                ModelStamp(
                    builtFor: Timestamp(milliseconds: row[0]), computedAt: Timestamp(milliseconds: row[1]),
                    configuration: row[2], configurationHash: row[3],
                    windowStart: (row[4] as Int64?).map { Timestamp(milliseconds: $0) },
                    windowEnd: (row[5] as Int64?).map { Timestamp(milliseconds: $0) })
            }
        }
    }

    /// Loads the stored model against the current catalogue (articles imported after the build have no
    /// neighbours and no trending score yet). Returns `nil` when no model was built.
    /// All in one read transaction: a build that commits meanwhile is seen whole or not at all.
    public func loadModel() throws -> StoredModel? {
        try writer.read { db in
            guard let stamp = try readStamp(db) else { return nil }
            // The catalogue, with no events.
            let catalogue = try readSnapshot(db, from: Timestamp(milliseconds: 1), to: Timestamp(milliseconds: 0))
            let index = RowIDIndex(catalogue.articleKeys)
            let count = catalogue.articles.count
            var occurrences = [Int32](repeating: 0, count: count)
            var score = [Double](repeating: 0, count: count)
            var recent = [Double](repeating: 0, count: count)
            var baseline = [Double](repeating: 0, count: count)
            var prior = [Double](repeating: 0, count: count)
            var sessionOccurrences = [Int32](repeating: 0, count: count)
            var total = [Double](repeating: 0, count: count)
            var firstSeen = [Int64](repeating: .max, count: count)
            var reach = [Double](repeating: 0, count: count)
            let articleRows = try db.makeStatement(
                sql: """
                    SELECT article_id, occurrences, trending, recent_rate, baseline_rate, site_prior, session_occurrences,
                           total, first_seen, reach
                    FROM model_article
                    """)
            let ar = articleRows.sqliteStatement
            try Self.rows(ar, db) {
                guard let a = index[sqlite3_column_int64(ar, 0)].map(Int.init) else { return }
                occurrences[a] = Int32(truncatingIfNeeded: sqlite3_column_int64(ar, 1))
                score[a] = sqlite3_column_double(ar, 2)
                recent[a] = sqlite3_column_double(ar, 3)
                baseline[a] = sqlite3_column_double(ar, 4)
                prior[a] = sqlite3_column_double(ar, 5)
                sessionOccurrences[a] = Int32(truncatingIfNeeded: sqlite3_column_int64(ar, 6))
                total[a] = sqlite3_column_double(ar, 7)
                // Both are NULL in a model stored before they were (migrations v4 and v5).
                firstSeen[a] = sqlite3_column_type(ar, 8) == SQLITE_NULL ? .max : sqlite3_column_int64(ar, 8)
                reach[a] = sqlite3_column_type(ar, 9) == SQLITE_NULL ? total[a] : sqlite3_column_double(ar, 9)
            }
            let baskets = try Row.fetchOne(
                db, sql: "SELECT basket_count, session_basket_count, calibration FROM model")
            let calibration = try (baskets?[2] as String?).map(CalibrationJSON.decode)
            let neighbours = try loadRows(
                table: "model_neighbour", index: index, count: count, occurrences: occurrences,
                basketCount: baskets?[0] ?? 0, db)
            let sessionNeighbours = try loadRows(
                table: "model_session_neighbour", index: index, count: count, occurrences: sessionOccurrences,
                basketCount: baskets?[1] ?? 0, db)
            // Readers with affinities, in row-id order.
            var readerKeys: [Int64] = []
            var readerNames: [String] = []
            var affinityOffsets = [0]
            var affinityArticles: [Int32] = []
            var affinityWeights: [Double] = []
            let affinityRows = try db.makeStatement(
                sql: """
                    SELECT m.reader_id, r.external_id, m.article_id, m.weight FROM model_affinity m
                    JOIN reader r ON r.id = m.reader_id ORDER BY m.reader_id, m.article_id
                    """)
            let fr = affinityRows.sqliteStatement
            try Self.rows(fr, db) {
                let reader = sqlite3_column_int64(fr, 0)
                if readerKeys.last != reader {
                    if !readerKeys.isEmpty { affinityOffsets.append(affinityArticles.count) }
                    readerKeys.append(reader)
                    readerNames.append(Self.text(fr, 1) ?? "")
                }
                guard let a = index[sqlite3_column_int64(fr, 2)] else { return }
                affinityArticles.append(a)
                affinityWeights.append(sqlite3_column_double(fr, 3))
            }
            if !readerKeys.isEmpty { affinityOffsets.append(affinityArticles.count) }
            // Affinity rows must be ascending by article index; row-id order is catalogue order.
            let learned = LearnedModel(
                readers: readerNames, readerKeys: readerKeys, neighbours: neighbours,
                sessionNeighbours: sessionNeighbours,
                trending: TrendingScores(
                    score: score, recentRate: recent, baselineRate: baseline, sitePrior: prior, total: total,
                    firstSeen: firstSeen, reach: reach),
                affinity: ReaderAffinity(
                    offsets: affinityOffsets, articles: affinityArticles, weights: affinityWeights),
                calibration: calibration)
            return StoredModel(stamp: stamp, catalogue: catalogue.catalogue, learned: learned)
        }
    }
}
