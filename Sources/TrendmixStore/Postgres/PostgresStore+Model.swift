import TrendmixCore

extension PostgresStore: ModelStore {
    /// Replaces the stored model with `model`, in one transaction; its rows go in through COPY.
    /// - Precondition: the model was built from a snapshot of this store (it carries the row ids).
    public func saveModel(_ model: StoredModel) throws {
        let learned = model.learned
        let keys = model.catalogue.articleKeys
        let stamp = model.stamp
        try withConnection { c in
            try c.transaction {
                try c.execute(
                    "TRUNCATE model, model_neighbour, model_session_neighbour, model_article, model_affinity")
                try c.query(
                    """
                    INSERT INTO model(id, built_for, computed_at, configuration, configuration_hash, basket_count,
                                      window_start, window_end, session_basket_count, calibration)
                    VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """,
                    [
                        stamp.builtFor.milliseconds, stamp.computedAt.milliseconds, stamp.configuration,
                        stamp.configurationHash, learned.neighbours.basketCount, stamp.windowStart?.milliseconds,
                        stamp.windowEnd?.milliseconds, learned.sessionNeighbours.basketCount,
                        try learned.calibration.map(CalibrationJSON.encode),
                    ])
                try copyRows(learned.neighbours, table: "model_neighbour", keys: keys, c)
                try copyRows(learned.sessionNeighbours, table: "model_session_neighbour", keys: keys, c)
                let t = learned.trending
                var a = 0
                try c.copyIn(
                    """
                    COPY model_article(article_id, occurrences, trending, recent_rate, baseline_rate, site_prior,
                                       session_occurrences, total, first_seen, reach) FROM STDIN
                    """
                ) { out in
                    guard a < keys.count else { return false }
                    let fields: [String] = [
                        String(keys[a]), String(learned.neighbours.occurrences[a]), t.score[a].postgresText,
                        t.recentRate[a].postgresText, t.baselineRate[a].postgresText, t.sitePrior[a].postgresText,
                        String(learned.sessionNeighbours.occurrences[a]), t.total[a].postgresText,
                        t.firstSeen[a] == .max ? "\\N" : String(t.firstSeen[a]), t.reach[a].postgresText,
                    ]
                    out.append(contentsOf: fields.joined(separator: "\t").utf8)
                    out.append(10)
                    a += 1
                    return true
                }
                var u = 0
                try c.copyIn("COPY model_affinity(reader_id, article_id, weight) FROM STDIN") { out in
                    guard u < learned.affinity.readerCount else { return false }
                    for m in learned.affinity.row(u) {
                        let line =
                            "\(learned.readerKeys[u])\t\(keys[Int(learned.affinity.articles[m])])\t"
                            + learned.affinity.weights[m].postgresText + "\n"
                        out.append(contentsOf: line.utf8)
                    }
                    u += 1
                    return true
                }
            }
        }
    }

    /// Writes one neighbour index's rows (store row ids, rank 0 = best) through COPY.
    private func copyRows(_ index: NeighbourIndex, table: String, keys: [Int64], _ c: PostgresConnection) throws {
        var a = 0
        try c.copyIn("COPY \(table)(article_id, rank, neighbour_id, similarity, count) FROM STDIN") { out in
            guard a < index.articleCount else { return false }
            for (rank, n) in index.row(a).enumerated() {
                let line =
                    "\(keys[a])\t\(rank)\t\(keys[Int(index.neighbours[n])])\t" + index.similarity[n].postgresText
                    + "\t\(index.count[n])\n"
                out.append(contentsOf: line.utf8)
            }
            a += 1
            return true
        }
    }

    /// The stored model's stamp, or `nil` when no model was built.
    public func modelStamp() throws -> ModelStamp? {
        try withConnection { c in try readStamp(c) }
    }

    private func readStamp(_ c: PostgresConnection) throws -> ModelStamp? {
        let row = try c.query(
            "SELECT built_for, computed_at, configuration, configuration_hash, window_start, window_end FROM model")
        guard row.count == 1 else { return nil }
        return ModelStamp(
            builtFor: Timestamp(milliseconds: row.int64(0, 0) ?? 0),
            computedAt: Timestamp(milliseconds: row.int64(0, 1) ?? 0), configuration: row.string(0, 2) ?? "",
            configurationHash: row.string(0, 3) ?? "",
            windowStart: row.int64(0, 4).map { Timestamp(milliseconds: $0) },
            windowEnd: row.int64(0, 5).map { Timestamp(milliseconds: $0) })
    }

    /// Loads the stored model against the current catalogue, in one repeatable-read transaction: a build that
    /// commits meanwhile is seen whole or not at all. `nil` when no model was built.
    public func loadModel() throws -> StoredModel? {
        try read { c in
            guard let stamp = try readStamp(c) else { return nil }
            let catalogue = try readSnapshot(c, from: Timestamp(milliseconds: 1), to: Timestamp(milliseconds: 0))
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
            try c.forEachBatch(
                """
                SELECT article_id, occurrences, trending, recent_rate, baseline_rate, site_prior, session_occurrences,
                       total, first_seen, reach
                FROM model_article
                """
            ) { rows in
                for r in 0..<rows.count {
                    guard let a = index[rows.int64(r, 0) ?? 0].map(Int.init) else { continue }
                    occurrences[a] = Int32(truncatingIfNeeded: rows.int64(r, 1) ?? 0)
                    score[a] = rows.double(r, 2) ?? 0
                    recent[a] = rows.double(r, 3) ?? 0
                    baseline[a] = rows.double(r, 4) ?? 0
                    prior[a] = rows.double(r, 5) ?? 0
                    sessionOccurrences[a] = Int32(truncatingIfNeeded: rows.int64(r, 6) ?? 0)
                    total[a] = rows.double(r, 7) ?? 0
                    firstSeen[a] = rows.int64(r, 8) ?? .max
                    reach[a] = rows.double(r, 9) ?? total[a]
                }
            }
            let baskets = try c.query("SELECT basket_count, session_basket_count, calibration FROM model")
            let calibration = try baskets.string(0, 2).map(CalibrationJSON.decode)
            let neighbours = try loadRows(
                table: "model_neighbour", index: index, count: count, occurrences: occurrences,
                basketCount: baskets.int(0, 0) ?? 0, c)
            let sessionNeighbours = try loadRows(
                table: "model_session_neighbour", index: index, count: count, occurrences: sessionOccurrences,
                basketCount: baskets.int(0, 1) ?? 0, c)
            var readerKeys: [Int64] = []
            var readerNames: [String] = []
            var affinityOffsets = [0]
            var affinityArticles: [Int32] = []
            var affinityWeights: [Double] = []
            try c.forEachBatch(
                """
                SELECT m.reader_id, r.external_id, m.article_id, m.weight FROM model_affinity m
                JOIN reader r ON r.id = m.reader_id ORDER BY m.reader_id, m.article_id
                """
            ) { rows in
                for r in 0..<rows.count {
                    let reader = rows.int64(r, 0) ?? 0
                    if readerKeys.last != reader {
                        if !readerKeys.isEmpty { affinityOffsets.append(affinityArticles.count) }
                        readerKeys.append(reader)
                        readerNames.append(rows.string(r, 1) ?? "")
                    }
                    guard let a = index[rows.int64(r, 2) ?? 0] else { continue }
                    affinityArticles.append(a)
                    affinityWeights.append(rows.double(r, 3) ?? 0)
                }
            }
            if !readerKeys.isEmpty { affinityOffsets.append(affinityArticles.count) }
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

    /// Reads one neighbour index's rows against the catalogue's `index`, in article order (see the SQLite
    /// store's reader of the same rows).
    private func loadRows(
        table: String, index: RowIDIndex, count: Int, occurrences: [Int32], basketCount: Int, _ c: PostgresConnection
    ) throws -> NeighbourIndex {
        var neighbours: [Int32] = []
        var similarity: [Double] = []
        var counts: [Int32] = []
        var rowLength = [Int](repeating: 0, count: count)
        try c.forEachBatch(
            "SELECT article_id, neighbour_id, similarity, count FROM \(table) ORDER BY article_id, rank"
        ) { rows in
            for r in 0..<rows.count {
                guard let a = index[rows.int64(r, 0) ?? 0], let j = index[rows.int64(r, 1) ?? 0] else { continue }
                neighbours.append(j)
                similarity.append(rows.double(r, 2) ?? 0)
                counts.append(Int32(truncatingIfNeeded: rows.int64(r, 3) ?? 0))
                rowLength[Int(a)] += 1
            }
        }
        var offsets = [Int](repeating: 0, count: count + 1)
        for a in 0..<count { offsets[a + 1] = offsets[a] + rowLength[a] }
        return NeighbourIndex(
            offsets: offsets, neighbours: neighbours, similarity: similarity, count: counts, occurrences: occurrences,
            basketCount: basketCount)
    }
}
