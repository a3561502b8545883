/// For every article, its most similar articles: "readers of this also read that".
///
/// Rows are in compressed sparse row form: `offsets[a]..<offsets[a + 1]` indexes `neighbours`, `similarity`
/// and `count` for article `a`, best first, ties broken by the smaller article index (store order), so that
/// every build of the same snapshot gives the same rows.
public struct NeighbourIndex: Sendable, Equatable {
    public var offsets: [Int]
    public var neighbours: [Int32]
    public var similarity: [Double]
    /// Baskets holding both articles (the co-occurrence count behind the similarity).
    public var count: [Int32]
    /// Baskets holding each article (row side).
    public var occurrences: [Int32]
    /// Number of baskets.
    public var basketCount: Int

    public var articleCount: Int { offsets.count - 1 }

    /// Assembles stored rows.
    public init(
        offsets: [Int], neighbours: [Int32], similarity: [Double], count: [Int32], occurrences: [Int32],
        basketCount: Int
    ) {
        self.offsets = offsets
        self.neighbours = neighbours
        self.similarity = similarity
        self.count = count
        self.occurrences = occurrences
        self.basketCount = basketCount
    }

    /// An index of `articleCount` articles with no neighbours (no baskets).
    public static func empty(articleCount: Int) -> NeighbourIndex {
        NeighbourIndex(
            offsets: [Int](repeating: 0, count: articleCount + 1), neighbours: [], similarity: [], count: [],
            occurrences: [Int32](repeating: 0, count: articleCount), basketCount: 0)
    }

    /// The neighbours of article `a`, best first.
    public func row(_ a: Int) -> Range<Int> { offsets[a]..<offsets[a + 1] }
}

extension NeighbourIndex {
    /// Counts co-occurrences in `snapshot` and keeps each article's best neighbours.
    ///
    /// For each seed article `i` (in parallel over contiguous ranges of articles) it walks the baskets holding
    /// `i` and the articles of each, accumulating counts in a dense scratch row (Gustavson's row-by-row sparse
    /// product of the basket matrix with its transpose), then scores the row and keeps the top `neighbours`.
    /// - Parameter articles: compute the rows of these articles only, the others empty (a partitioned build:
    ///   ``joining(_:)`` puts the parts together, row for row the index of the whole); `nil` for every article.
    /// - Complexity: O(Σ over baskets of size²) time, spread over all cores; O(A) scratch per core.
    public init(snapshot: Snapshot, configuration c: CooccurrenceConfiguration, articles: Range<Int>? = nil) {
        let weights = c.weights
        let types = snapshot.events.type
        let values = snapshot.events.value
        let counts = { (e: Int) in weights.weight(types[e], value: values[e]) > 0 }
        let rows: Baskets
        let columns: Baskets
        if let cross = c.crossOccurrence {
            let either = cross.indicator.union(cross.target)
            let assignment = BasketAssignment(snapshot: snapshot, unit: c.unit) {
                either.contains(types[$0]) && counts($0)
            }
            rows = Baskets(snapshot: snapshot, assignment: assignment, maxItems: c.maxItemsPerBasket) {
                cross.indicator.contains(types[$0]) && counts($0)
            }
            columns = Baskets(snapshot: snapshot, assignment: assignment, maxItems: c.maxItemsPerBasket) {
                cross.target.contains(types[$0]) && counts($0)
            }
        } else {
            let assignment = BasketAssignment(snapshot: snapshot, unit: c.unit, include: counts)
            rows = Baskets(snapshot: snapshot, assignment: assignment, maxItems: c.maxItemsPerBasket, include: counts)
            columns = rows
        }
        self.init(rows: rows, columns: columns, configuration: c, articles: articles)
    }

    /// Scores pairs of a row-side and a column-side article that share baskets (the same baskets for plain
    /// co-occurrence; the same basket ids, filtered differently, for cross-occurrence).
    init(rows: Baskets, columns: Baskets, configuration c: CooccurrenceConfiguration, articles: Range<Int>? = nil) {
        let articleCount = rows.articleCount
        let computed = (articles ?? 0..<articleCount).clamped(to: 0..<articleCount)
        let columnBasketOffsets = columns.basketOffsets
        let columnBasketItems = columns.basketItems
        // n: baskets that hold anything, on either side.
        let n = Double((0..<rows.basketCount).count { !rows.isEmpty($0) || !columns.isEmpty($0) })
        let scorer = PairScorer(configuration: c, columns: columns, articleCount: articleCount, basketCount: n)
        let rowItemOffsets = rows.itemOffsets
        let rowItemBaskets = rows.itemBaskets
        let chunks = parallelMap(count: computed.count) { offsets -> NeighbourChunk in
            let range = (computed.lowerBound + offsets.lowerBound)..<(computed.lowerBound + offsets.upperBound)
            var chunk = NeighbourChunk()
            // The hot loop runs on raw buffers: no bounds or exclusivity checks per increment (indices come
            // from the CSR arrays built above, all below `articleCount`).
            let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(articleCount, 1))
            counts.initialize(repeating: 0)
            defer { counts.deallocate() }
            // Articles touched in the current row, in a preallocated buffer (no append checks in the hot loop).
            let touched = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(articleCount, 1))
            defer { touched.deallocate() }
            var touchedCount = 0
            var scored: [Ranked] = []
            rowItemBaskets.withUnsafeBufferPointer { rowBaskets in
                columnBasketItems.withUnsafeBufferPointer { columnItems in
                    columnBasketOffsets.withUnsafeBufferPointer { columnOffsets in
                        for i in range {
                            for k in rowItemOffsets[i]..<rowItemOffsets[i + 1] {
                                let b = Int(rowBaskets[k])
                                for m in columnOffsets[b]..<columnOffsets[b + 1] {
                                    let j = Int(columnItems[m])
                                    if counts[j] == 0 {
                                        touched[touchedCount] = Int32(j)
                                        touchedCount &+= 1
                                    }
                                    counts[j] &+= 1
                                }
                            }
                            let ni = Double(rowItemOffsets[i + 1] - rowItemOffsets[i])
                            scorer.keepBest(
                                row: i, occurrences: ni,
                                touched: UnsafeBufferPointer(rebasing: touched[0..<touchedCount]),
                                counts: counts, scored: &scored, into: &chunk)
                            touchedCount = 0
                        }
                    }
                }
            }
            return chunk
        }
        self.init(
            chunks: chunks, before: computed.lowerBound, after: articleCount - computed.upperBound,
            occurrences: (0..<articleCount).map { Int32(rows.occurrences(of: $0)) }, basketCount: Int(n))
    }

    /// Joins the rows computed in parallel, in article order, after `before` empty rows and before `after` more.
    private init(chunks: [NeighbourChunk], before: Int, after: Int, occurrences: [Int32], basketCount: Int) {
        var offsets = [Int](repeating: 0, count: before + 1)
        offsets.reserveCapacity(occurrences.count + 1)
        var neighbours: [Int32] = []
        var similarity: [Double] = []
        var count: [Int32] = []
        for chunk in chunks {
            for length in chunk.lengths { offsets.append(offsets[offsets.count - 1] + length) }
            neighbours.append(contentsOf: chunk.neighbours)
            similarity.append(contentsOf: chunk.similarity)
            count.append(contentsOf: chunk.count)
        }
        offsets += [Int](repeating: offsets[offsets.count - 1], count: after)
        self.init(
            offsets: offsets, neighbours: neighbours, similarity: similarity, count: count, occurrences: occurrences,
            basketCount: basketCount)
    }
}

extension NeighbourIndex {
    /// The index whose row of each article is that of the part computed for it: the parts of a partitioned build
    /// (``init(snapshot:configuration:articles:)``), each with the articles it computed. `nil` unless the parts
    /// come from one snapshot (the same articles, occurrences and baskets) and their ranges cover every article
    /// once.
    public static func joining(_ parts: [(articles: Range<Int>, index: NeighbourIndex)]) -> NeighbourIndex? {
        guard let first = parts.first?.index else { return nil }
        let sorted = parts.sorted { $0.articles.lowerBound < $1.articles.lowerBound }
        var next = 0
        for part in sorted {
            guard part.articles.lowerBound == next, part.index.articleCount == first.articleCount,
                part.index.occurrences == first.occurrences, part.index.basketCount == first.basketCount
            else { return nil }
            next = part.articles.upperBound
        }
        guard next == first.articleCount else { return nil }
        var offsets = [0]
        offsets.reserveCapacity(first.articleCount + 1)
        var neighbours: [Int32] = []
        var similarity: [Double] = []
        var count: [Int32] = []
        for part in sorted {
            let index = part.index
            for a in part.articles {
                let row = index.row(a)
                neighbours.append(contentsOf: index.neighbours[row])
                similarity.append(contentsOf: index.similarity[row])
                count.append(contentsOf: index.count[row])
                offsets.append(neighbours.count)
            }
        }
        return NeighbourIndex(
            offsets: offsets, neighbours: neighbours, similarity: similarity, count: count,
            occurrences: first.occurrences, basketCount: first.basketCount)
    }
}

/// The rows of a contiguous range of articles, computed on one core.
private struct NeighbourChunk: Sendable {
    var lengths: [Int] = []
    var neighbours: [Int32] = []
    var similarity: [Double] = []
    var count: [Int32] = []
}

/// Scores one article's co-occurring pairs with the configured measure and keeps the best `neighbours`.
private struct PairScorer {
    let measure: SimilarityMeasure
    let minCount: Int32
    let limit: Int?
    /// n, the baskets that hold anything; each column-side article's basket count.
    let n: Double
    let columnOccurrences: [Double]
    /// Log-likelihood needs x·ln x of whole counts up to n: a table turns four logs per pair into look-ups.
    let xLogX: [Double]

    init(configuration c: CooccurrenceConfiguration, columns: Baskets, articleCount: Int, basketCount n: Double) {
        measure = c.measure
        minCount = Int32(max(1, c.minPairCount))
        limit = c.neighbours
        self.n = n
        columnOccurrences = (0..<articleCount).map { Double(columns.occurrences(of: $0)) }
        xLogX = measure == .logLikelihood ? (0...Int(n)).map { SimilarityMeasure.xLogX(Double($0)) } : []
    }

    /// Scores article `i`'s pairs (`touched` articles with their counts in `counts`, which it zeroes), keeps the
    /// best in a bounded heap (`scored`, reused across rows) and appends them, best first, to `chunk`.
    @inline(__always)
    func keepBest(
        row i: Int, occurrences ni: Double, touched: UnsafeBufferPointer<Int32>,
        counts: UnsafeMutableBufferPointer<Int32>, scored: inout [Ranked], into chunk: inout NeighbourChunk
    ) {
        scored.removeAll(keepingCapacity: true)
        for j in touched {
            let cij = counts[Int(j)]
            counts[Int(j)] = 0
            guard Int(j) != i, cij >= minCount else { continue }
            let nj = columnOccurrences[Int(j)]
            let s =
                measure == .logLikelihood
                ? SimilarityMeasure.logLikelihood(c: Int(cij), ni: Int(ni), nj: Int(nj), n: Int(n), xLogX: xLogX)
                : measure.score(c: Double(cij), ni: ni, nj: nj, n: n)
            guard s > 0 else { continue }
            if let limit, scored.count == limit {
                // Full: a candidate must beat the worst kept one (the heap's root).
                let candidate = Ranked(score: s, article: j, origin: cij)
                if candidate.ranksBefore(scored[0]) {
                    scored[0] = candidate
                    siftDown(&scored)
                }
            } else {
                scored.append(Ranked(score: s, article: j, origin: cij))
                if let limit, scored.count == limit { heapify(&scored) }
            }
        }
        let keep = topK(&scored, limit)
        chunk.lengths.append(keep)
        for ranked in scored.prefix(keep) {
            chunk.neighbours.append(ranked.article)
            chunk.similarity.append(ranked.score)
            chunk.count.append(ranked.origin)
        }
    }
}
