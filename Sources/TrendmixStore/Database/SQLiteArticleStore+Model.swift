import Foundation
import GRDB
import GRDBSQLite
public import TrendmixCore

/// What is stored with a model besides its tables.
public struct ModelStamp: Sendable, Equatable, Codable {
    /// The `now` the model was built for.
    public var builtFor: Timestamp
    /// When the build ran (wall clock).
    public var computedAt: Timestamp
    /// The effective configuration as JSON, and its hash.
    public var configuration: String
    public var configurationHash: String
    public var windowStart: Timestamp?
    public var windowEnd: Timestamp?

    public init(
        builtFor: Timestamp, computedAt: Timestamp, configuration: String, configurationHash: String,
        windowStart: Timestamp?, windowEnd: Timestamp?
    ) {
        self.builtFor = builtFor
        self.computedAt = computedAt
        self.configuration = configuration
        self.configurationHash = configurationHash
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}

extension SQLiteArticleStore {
    /// Replaces the stored model with `model`, in one transaction.
    /// - Precondition: the model was built from a snapshot of this store (it carries the row ids).
    public func saveModel(_ model: RecommendationModel, stamp: ModelStamp) throws {
        try writer.write { db in
            for table in ["model", "model_neighbour", "model_session_neighbour", "model_article", "model_affinity"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(
                sql: """
                    INSERT INTO model(id, built_for, computed_at, configuration, configuration_hash, basket_count,
                                      window_start, window_end, session_basket_count)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stamp.builtFor.milliseconds, stamp.computedAt.milliseconds, stamp.configuration,
                    stamp.configurationHash, model.neighbours.basketCount, stamp.windowStart?.milliseconds,
                    stamp.windowEnd?.milliseconds, model.sessionNeighbours.basketCount,
                ])
            let keys = model.articleKeys
            try saveRows(model.neighbours, table: "model_neighbour", keys: keys, db)
            try saveRows(model.sessionNeighbours, table: "model_session_neighbour", keys: keys, db)
            let article = try db.makeStatement(
                sql: """
                    INSERT INTO model_article(article_id, occurrences, trending, recent_rate, baseline_rate, site_prior,
                                              session_occurrences, total, first_seen, reach)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let t = model.trending
            for a in 0..<model.articles.count {
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
    private func loadRows(
        table: String, index: [Int64: Int32], count: Int, occurrences: [Int32], basketCount: Int, _ db: Database
    ) throws -> NeighbourIndex {
        var rows = [[(Int32, Double, Int32)]](repeating: [], count: count)
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT article_id, neighbour_id, similarity, count FROM \(table) ORDER BY article_id, rank")
        while let row = try cursor.next() {
            guard let a = index[row[0]], let j = index[row[1]] else { continue }
            rows[Int(a)].append((j, row[2], row[3]))
        }
        var offsets = [0]
        var neighbours: [Int32] = []
        var similarity: [Double] = []
        var counts: [Int32] = []
        for row in rows {
            for (j, s, c) in row {
                neighbours.append(j)
                similarity.append(s)
                counts.append(c)
            }
            offsets.append(neighbours.count)
        }
        return NeighbourIndex(
            offsets: offsets, neighbours: neighbours, similarity: similarity, count: counts, occurrences: occurrences,
            basketCount: basketCount)
    }

    private func step(_ statement: OpaquePointer, _ db: Database) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// The stored model's stamp, or `nil` when no model was built.
    public func modelStamp() throws -> ModelStamp? {
        try writer.read { db in
            try Row.fetchOne(
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
    public func loadModel(configuration: ModelConfiguration) throws -> (RecommendationModel, ModelStamp)? {
        guard let stamp = try modelStamp() else { return nil }
        // The catalogue, with no events.
        let catalogue = try snapshot(from: Timestamp(milliseconds: 1), to: Timestamp(milliseconds: 0))
        return try writer.read { db in
            var index: [Int64: Int32] = [:]
            for (i, key) in catalogue.articleKeys.enumerated() { index[key] = Int32(i) }
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
            for row in try Row.fetchAll(
                db,
                sql:
                    """
                    SELECT article_id, occurrences, trending, recent_rate, baseline_rate, site_prior, session_occurrences,
                           total, first_seen, reach
                    FROM model_article
                    """
            ) {
                guard let a = index[row[0]].map(Int.init) else { continue }
                occurrences[a] = row[1]
                score[a] = row[2]
                recent[a] = row[3]
                baseline[a] = row[4]
                prior[a] = row[5]
                sessionOccurrences[a] = row[6]
                total[a] = row[7]
                firstSeen[a] = row[8] ?? .max
                reach[a] = row[9] ?? total[a]
            }
            let baskets = try Row.fetchOne(db, sql: "SELECT basket_count, session_basket_count FROM model")
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
            let affinityCursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT m.reader_id, r.external_id, m.article_id, m.weight FROM model_affinity m
                    JOIN reader r ON r.id = m.reader_id ORDER BY m.reader_id, m.article_id
                    """)
            while let row = try affinityCursor.next() {
                let reader: Int64 = row[0]
                if readerKeys.last != reader {
                    if !readerKeys.isEmpty { affinityOffsets.append(affinityArticles.count) }
                    readerKeys.append(reader)
                    readerNames.append(row[1])
                }
                guard let a = index[row[2]] else { continue }
                affinityArticles.append(a)
                affinityWeights.append(row[3])
            }
            if !readerKeys.isEmpty { affinityOffsets.append(affinityArticles.count) }
            // Affinity rows must be ascending by article index; row-id order is catalogue order.
            let model = RecommendationModel(
                sites: catalogue.sites, articles: catalogue.articles, tags: catalogue.tags, readers: readerNames,
                neighbours: neighbours, sessionNeighbours: sessionNeighbours,
                trending: TrendingScores(
                    score: score, recentRate: recent, baselineRate: baseline, sitePrior: prior, total: total,
                    firstSeen: firstSeen, reach: reach),
                affinity: ReaderAffinity(
                    offsets: affinityOffsets, articles: affinityArticles, weights: affinityWeights),
                articleKeys: catalogue.articleKeys, readerKeys: readerKeys, builtAt: stamp.builtFor,
                configuration: configuration)
            return (model, stamp)
        }
    }
}
