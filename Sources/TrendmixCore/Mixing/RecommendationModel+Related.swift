#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RecommendationModel {
    /// Related articles for a seed: co-occurrence ("readers of this also read", blended with "read in the same
    /// visit" by ``MixConfiguration/sessionWeight``) blended with tag similarity by evidence, plus the
    /// co-occurrence of the articles read before the seed in the visit, each weighed exp(−d / λ) at `d` places
    /// before it (``MixConfiguration/visitDecay``).
    func related(
        to seed: Int32, visit: [Int32] = [], limit: Int, work: inout Scratch, eligible: Eligibility
    ) -> [ScoredArticle] {
        let s = Int(seed)
        let row = neighbours.row(s)
        let sessionRow = sessionNeighbours.row(s)
        let (best, sessionBest, w) = rowWeights(of: s, eligible)
        let evidence = Double(max(neighbours.occurrences[s], sessionNeighbours.occurrences[s]))
        let alpha = evidence / (evidence + configuration.mix.evidenceHalfSaturation)
        let content = alpha < 1 ? contentNeighbours(of: s, limit: limit, work: &work, eligible: eligible) : []
        // Scores go to the scratch row; reasons are made only for the items that survive the cut (tag
        // similarities wait in `tagSum`, zero again below).
        // Positions + 1 in the rows (`rowFrom`, `sessionFrom`), so reasons need no search; zeroed below.
        if best > 0, w < 1 {
            Self.accumulate(
                neighbours, row, weight: alpha * (1 - w), best: best, score: &work.score, from: &work.rowFrom,
                touched: &work.touched, eligible)
        }
        if w > 0 {
            Self.accumulate(
                sessionNeighbours, sessionRow, weight: alpha * w, best: sessionBest, score: &work.score,
                from: &work.sessionFrom, touched: &work.touched, eligible)
        }
        let fromVisit = accumulateVisit(visit, seed: seed, work: &work, eligible)
        for (j, similarity) in content {
            if work.score[Int(j)] == 0 { work.touched.append(j) }
            work.score[Int(j)] += (1 - alpha) * similarity
            work.tagSum[Int(j)] = similarity
        }
        // The position rows are read through copies that end with this block, before they are zeroed (else
        // zeroing would copy a catalogue-sized array).
        let items: [ScoredArticle]
        do {
            let rowFrom = work.rowFrom
            let sessionFrom = work.sessionFrom
            let tagScore = work.tagSum
            items = drain(&work, limit: limit) { j in
                var reason: Explanation
                if let via = fromVisit[j] {
                    reason = relatedReason(
                        seed: via.article, neighbour: via.position, inRow: !via.session, session: via.position,
                        inSession: via.session)
                } else {
                    reason = relatedReason(
                        seed: seed, neighbour: Int(rowFrom[Int(j)]) - 1 + row.lowerBound, inRow: rowFrom[Int(j)] > 0,
                        session: Int(sessionFrom[Int(j)]) - 1 + sessionRow.lowerBound,
                        inSession: sessionFrom[Int(j)] > 0)
                }
                // The shared tags are named when an item is shown (`sharedTags(of:)`), not for every candidate.
                if tagScore[Int(j)] > 0 { reason.tagSimilarity = tagScore[Int(j)] }
                return reason
            }
        }
        for n in row { work.rowFrom[Int(neighbours.neighbours[n])] = 0 }
        for n in sessionRow { work.sessionFrom[Int(sessionNeighbours.neighbours[n])] = 0 }
        for (j, _) in content { work.tagSum[Int(j)] = 0 }
        return items
    }

    /// The most articles of a visit the related stage reads (and the box leaves out), nearest the seed first.
    public static let maximumVisit = 20

    /// Article `a`'s best eligible similarity in each index (0 for none), and the weight `w` of its session row:
    /// ``MixConfiguration/sessionWeight``, or all of it (1) or none (0) where one index has no eligible
    /// neighbour (the host site's own articles are often all a seed's session neighbours).
    private func rowWeights(of a: Int, _ eligible: Eligibility) -> (best: Double, sessionBest: Double, w: Double) {
        let best = Self.bestSimilarity(neighbours, neighbours.row(a), eligible)
        let sessionBest = Self.bestSimilarity(sessionNeighbours, sessionNeighbours.row(a), eligible)
        let w = sessionBest > 0 ? (best > 0 ? min(1, max(0, configuration.mix.sessionWeight)) : 1) : 0
        return (best, sessionBest, w)
    }

    /// Adds the rows of the visit's articles before the seed (its last ``maximumVisit`` entries, the ones
    /// ``Eligibility`` leaves out, nearest first, each article once), the distinct article `d` places before it
    /// weighed exp(−d / λ) with the seed's blend of the two indexes (no evidence
    /// factor: an article read in this visit is evidence whatever its basket count). Returns, for each item only
    /// these rows brought (not in the seed's, `rowFrom` and `sessionFrom` 0), the nearest visit article holding
    /// it and its absolute position in that article's row of the index named.
    private func accumulateVisit(
        _ visit: [Int32], seed: Int32, work: inout Scratch, _ eligible: Eligibility
    ) -> [Int32: (article: Int32, position: Int, session: Bool)] {
        let decay = configuration.mix.visitDecay
        guard decay > 0, !visit.isEmpty else { return [:] }
        var from: [Int32: (article: Int32, position: Int, session: Bool)] = [:]
        var d = 0
        var read: Set<Int32> = [seed]
        for v in visit.suffix(Self.maximumVisit).reversed()
        where v >= 0 && Int(v) < articles.count && read.insert(v).inserted {
            d += 1
            let weight = exp(-Double(d) / decay)
            let (best, sessionBest, w) = rowWeights(of: Int(v), eligible)
            for (index, share, best, session) in [
                (neighbours, 1 - w, best, false), (sessionNeighbours, w, sessionBest, true),
            ] where share > 0 && best > 0 {
                for n in index.row(Int(v)) {
                    let j = index.neighbours[n]
                    guard index.similarity[n] > 0, eligible.article(j) else { continue }
                    if work.score[Int(j)] == 0 { work.touched.append(j) }
                    work.score[Int(j)] += weight * share * index.similarity[n] / best
                    if work.rowFrom[Int(j)] == 0, work.sessionFrom[Int(j)] == 0, from[j] == nil {
                        from[j] = (v, n, session)
                    }
                }
            }
        }
        return from
    }

    /// The best similarity among the eligible neighbours of a row, 0 for none.
    private static func bestSimilarity(
        _ index: NeighbourIndex, _ row: Range<Int>, _ eligible: Eligibility
    ) -> Double {
        var best = 0.0
        for n in row where index.similarity[n] > best && eligible.article(index.neighbours[n]) {
            best = index.similarity[n]
        }
        return best
    }

    /// Adds weight · similarity / best of each eligible neighbour of `row` to `score`, and notes its position + 1
    /// in the row in `from`.
    @inline(__always)
    private static func accumulate(
        _ index: NeighbourIndex, _ row: Range<Int>, weight: Double, best: Double, score: inout [Double],
        from: inout [Int32], touched: inout [Int32], _ eligible: Eligibility
    ) {
        for n in row {
            let j = index.neighbours[n]
            guard index.similarity[n] > 0, eligible.article(j) else { continue }
            if score[Int(j)] == 0 { touched.append(j) }
            score[Int(j)] += weight * index.similarity[n] / best
            from[Int(j)] = Int32(n - row.lowerBound + 1)
        }
    }

    /// The reason of a related item: co-occurrence when it is in the seed's neighbour row (at `neighbour`, with
    /// the session count when also in the session row), "read in the same visit" when only in the session row,
    /// else tag similarity.
    private func relatedReason(
        seed: Int32, neighbour n: Int, inRow: Bool, session v: Int, inSession: Bool
    )
        -> Explanation
    {
        if inRow {
            var reason = Explanation(
                source: .cooccurrence, seed: seed, cooccurrenceCount: neighbours.count[n],
                similarity: neighbours.similarity[n])
            if inSession { reason.sessionCount = sessionNeighbours.count[v] }
            return reason
        }
        if inSession {
            return Explanation(
                source: .session, seed: seed, similarity: sessionNeighbours.similarity[v],
                sessionCount: sessionNeighbours.count[v])
        }
        return Explanation(source: .tags, seed: seed)
    }

    /// The best `limit` tag-similar articles, in no particular order (``related(to:limit:work:eligible:)`` only
    /// adds their scores), reading at most `maxTagPostings` of each tag's articles (newest first).
    ///
    /// The postings are the per-box inner loop of the widget job (hundreds per box), so the touched articles and
    /// their scores go into the scratch's fixed-size tag buffers through pointers: an append per posting checked
    /// the array's uniqueness and capacity each time. Sorting the best 50 was an eighth of the stage.
    func contentNeighbours(
        of seed: Int, limit: Int, work: inout Scratch, eligible: Eligibility
    ) -> [(Int32, Double)] {
        let maxPostings = max(0, configuration.mix.maxTagPostings)
        let seedNorm = tagSimilarity.norm[seed]
        guard seedNorm > 0 else { return [] }
        let seedTags = articles.tags(of: seed)
        var bound = 0
        for t in seedTags {
            bound += min(tagSimilarity.tagOffsets[Int(t) + 1] - tagSimilarity.tagOffsets[Int(t)], maxPostings)
        }
        guard bound > 0 else { return [] }
        work.reserveTagBuffers(bound)
        let tagArticles = tagSimilarity.tagArticles
        let norm = tagSimilarity.norm
        return work.tagSum.withUnsafeMutableBufferPointer { sum in
            work.tagTouched.withUnsafeMutableBufferPointer { touched in
                var count = 0
                for t in seedTags {
                    let tag = Int(t)
                    let w = tagSimilarity.idf[tag] * tagSimilarity.idf[tag]
                    guard w > 0 else { continue }
                    let first = tagSimilarity.tagOffsets[tag]
                    let end = min(tagSimilarity.tagOffsets[tag + 1], first + maxPostings)
                    for m in first..<end {
                        let j = tagArticles[m]
                        if Int(j) == seed || !eligible.article(j) { continue }
                        if sum[Int(j)] == 0 {
                            touched[count] = j
                            count += 1
                        }
                        sum[Int(j)] += w
                    }
                }
                return work.tagRanked.withUnsafeMutableBufferPointer { ranked in
                    var n = 0
                    for i in 0..<count {
                        let j = touched[i]
                        let jn = norm[Int(j)]
                        if jn > 0 {
                            ranked[n] = Ranked(score: sum[Int(j)] / (seedNorm * jn), article: j)
                            n += 1
                        }
                        sum[Int(j)] = 0
                    }
                    let front = UnsafeMutableBufferPointer(rebasing: ranked[0..<n])
                    let keep = selectTop(front, limit)
                    return (0..<keep).map { (front[$0].article, front[$0].score) }
                }
            }
        }
    }
}
