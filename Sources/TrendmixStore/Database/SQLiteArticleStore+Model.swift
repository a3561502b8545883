import Foundation
import GRDB
import GRDBSQLite
import TrendmixCore

#if canImport(Glibc)
    import Glibc
#endif

extension SQLiteArticleStore: ModelStore {
    /// The tables of a model's rows, written staged (``saveModel(_:)``).
    static let modelRowTables = ["model_neighbour", "model_session_neighbour", "model_article", "model_affinity"]
    /// Rows a staging transaction writes: about 20 ms of the write lock on this machine.
    static let stagedRowsPerTransaction = 5_000

    /// Replaces the stored model with `model`. Readers see the old model or the new one whole, never a mix.
    ///
    /// The rows go first into staging tables (`model_neighbour_staged`, …), in transactions of
    /// ``stagedRowsPerTransaction`` rows, and one short transaction then swaps them in by renaming tables and
    /// writes the stamp. So the database's write lock is never held for the whole write (1.4M rows, seconds, at
    /// 1M events): a server storing posted events meanwhile waits milliseconds, not the length of the build.
    /// Staging tables a build killed meanwhile left behind are dropped by the next save.
    /// - Precondition: the model was built from a snapshot of this store (it carries the row ids).
    public func saveModel(_ model: StoredModel) throws {
        try saveModel(model, rowsPerTransaction: Self.stagedRowsPerTransaction)
    }

    /// ``saveModel(_:)`` with another number of rows a staging transaction (tests: many transactions).
    func saveModel(_ model: StoredModel, rowsPerTransaction: Int) throws {
        try Self.namingWriteFailures(path) {
            try oneSaveAtATime {
                try stageTables()
                try stageModelRows(model.learned, keys: model.catalogue.articleKeys, rowsPerTransaction)
                try swapStagedModel(model.learned, model.stamp)
            }
        }
    }

    /// Runs `body` holding an exclusive lock on `<database>-model.lock` (`flock`, released by the system when a
    /// process dies), so that two builds of one file stage their rows one after the other, as their single
    /// transactions did, and a save may drop whatever staging tables it finds: their builder is gone.
    private func oneSaveAtATime<T>(_ body: () throws -> T) throws -> T {
        guard let path else { return try body() }
        let lockPath = path + "-model.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(
                path: path, reason: "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw StoreError.cannotOpen(
                    path: path, reason: "cannot lock \(lockPath): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Creates empty staging tables with the live tables' own definitions (what every migration made of them).
    private func stageTables() throws {
        try writer.write { db in
            for table in Self.modelRowTables {
                try db.execute(sql: "DROP TABLE IF EXISTS \(table)_staged")
                try db.execute(sql: "DROP TABLE IF EXISTS \(table)_replaced")
                guard
                    let definition = try String.fetchOne(
                        db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]),
                    let open = definition.firstIndex(of: "(")
                else { throw StoreError.corrupt(reason: "the table \(table) is missing") }
                // The swap renames tables; a named index would keep the staging name (a test keeps them absent).
                let indexes =
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                        arguments: [table]) ?? 0
                guard indexes == 0 else {
                    throw StoreError.corrupt(
                        reason: "\(table) has an index that Trendmix did not make; drop it to build")
                }
                try db.execute(sql: "CREATE TABLE \(table)_staged " + definition[open...])
            }
        }
    }

    /// Writes the model's rows into the staging tables, a transaction every ``stagedRowsPerTransaction`` rows.
    private func stageModelRows(_ model: LearnedModel, keys: [Int64], _ perTransaction: Int) throws {
        try stageRows(model.neighbours, table: "model_neighbour_staged", keys: keys, perTransaction)
        try stageRows(model.sessionNeighbours, table: "model_session_neighbour_staged", keys: keys, perTransaction)
        let t = model.trending
        try staged(
            count: keys.count, perTransaction: perTransaction,
            sql: """
                INSERT INTO model_article_staged(article_id, occurrences, trending, recent_rate, baseline_rate,
                                                 site_prior, session_occurrences, total, first_seen, reach)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ) { statement, _, a in
            try statement.execute(arguments: [
                keys[a], model.neighbours.occurrences[a], t.score[a], t.recentRate[a], t.baselineRate[a],
                t.sitePrior[a], model.sessionNeighbours.occurrences[a], t.total[a],
                t.firstSeen[a] == .max ? nil : t.firstSeen[a], t.reach[a],
            ])
        }
        let affinity = model.affinity
        // Reader of each stored affinity, in order.
        var readerOf = [Int](repeating: 0, count: affinity.articles.count)
        for u in 0..<affinity.readerCount {
            for m in affinity.row(u) { readerOf[m] = u }
        }
        try staged(
            count: affinity.articles.count, perTransaction: perTransaction,
            sql: "INSERT INTO model_affinity_staged(reader_id, article_id, weight) VALUES (?, ?, ?)"
        ) { statement, db, m in
            let raw = statement.sqliteStatement
            sqlite3_reset(raw)
            sqlite3_bind_int64(raw, 1, model.readerKeys[readerOf[m]])
            sqlite3_bind_int64(raw, 2, keys[Int(affinity.articles[m])])
            sqlite3_bind_double(raw, 3, affinity.weights[m])
            try step(raw, db)
        }
    }

    /// Writes one neighbour index's rows (store row ids, rank 0 = best) into a staging table.
    private func stageRows(_ index: NeighbourIndex, table: String, keys: [Int64], _ perTransaction: Int) throws {
        // Article of each stored neighbour, and its rank in the article's row.
        var articleOf = [Int](repeating: 0, count: index.neighbours.count)
        var rankOf = [Int](repeating: 0, count: index.neighbours.count)
        for a in 0..<index.articleCount {
            for (rank, n) in index.row(a).enumerated() {
                articleOf[n] = a
                rankOf[n] = rank
            }
        }
        try staged(
            count: index.neighbours.count, perTransaction: perTransaction,
            sql: "INSERT INTO \(table)(article_id, rank, neighbour_id, similarity, count) VALUES (?, ?, ?, ?, ?)"
        ) { statement, db, n in
            let raw = statement.sqliteStatement
            sqlite3_reset(raw)
            sqlite3_bind_int64(raw, 1, keys[articleOf[n]])
            sqlite3_bind_int64(raw, 2, Int64(rankOf[n]))
            sqlite3_bind_int64(raw, 3, keys[Int(index.neighbours[n])])
            sqlite3_bind_double(raw, 4, index.similarity[n])
            sqlite3_bind_int64(raw, 5, Int64(index.count[n]))
            try step(raw, db)
        }
    }

    /// Runs `insert` for rows `0..<count`, in transactions of `perTransaction` rows.
    private func staged(
        count: Int, perTransaction: Int, sql: String, _ insert: (Statement, Database, Int) throws -> Void
    ) throws {
        var start = 0
        repeat {
            let end = min(count, start + max(1, perTransaction))
            try writer.write { db in
                let statement = try db.cachedStatement(sql: sql)
                for row in start..<end { try insert(statement, db, row) }
            }
            start = end
            // Room for another connection's write between two of these (``busyMode`` tries every millisecond).
            usleep(2_000)
        } while start < count
    }

    /// In one transaction: the staging tables become the model's, and the stamp is written. The replaced tables
    /// are dropped after, each in its own transaction (freeing a table's pages takes time in proportion to its
    /// size: 0.11 s for the 482,724 neighbour rows of a 1M-event model).
    private func swapStagedModel(_ model: LearnedModel, _ stamp: ModelStamp) throws {
        try writer.write { db in
            for table in Self.modelRowTables {
                try db.execute(sql: "ALTER TABLE \(table) RENAME TO \(table)_replaced")
                try db.execute(sql: "ALTER TABLE \(table)_staged RENAME TO \(table)")
            }
            try db.execute(sql: "DELETE FROM model")
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
        }
        for table in Self.modelRowTables {
            try writer.write { db in try db.execute(sql: "DROP TABLE \(table)_replaced") }
            usleep(2_000)
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
