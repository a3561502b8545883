import Testing
import TrendmixCore

/// Builds a snapshot from (reader, article, type, time) tuples.
func makeSnapshot(
    articles: Int, readers: Int, sessions: Int = 0, _ rows: [(Int, Int, EventType, Int64, Int32)]
) -> Snapshot {
    var a = Snapshot.Articles()
    for i in 0..<articles { a.append(site: Int32(i % 2), externalID: "a\(i)") }
    var e = Snapshot.Events()
    for (reader, article, type, time, session) in rows {
        e.append(article: Int32(article), reader: Int32(reader), session: session, type: type, time: time)
    }
    return Snapshot(
        sites: [
            Site(slug: "news", name: "News", kind: "news", baseURL: "https://n.example"),
            Site(slug: "travel", name: "Travel", kind: "travel", baseURL: "https://t.example"),
        ], articles: a, tags: [], readers: (0..<readers).map { "r\($0)" }, sessionCount: sessions, events: e)
}

/// The obvious reference: sets of readers per article, intersections by brute force.
func bruteForce(_ snapshot: Snapshot, _ c: CooccurrenceConfiguration) -> [[(Int32, Double, Int32)]] {
    var basketsOf = [Set<Int>](repeating: [], count: snapshot.articles.count)
    var baskets = Set<Int>()
    for e in 0..<snapshot.events.count
    where snapshot.events.reader[e] >= 0
        && c.weights.weight(snapshot.events.type[e], value: 1) > 0
    {
        basketsOf[Int(snapshot.events.article[e])].insert(Int(snapshot.events.reader[e]))
        baskets.insert(Int(snapshot.events.reader[e]))
    }
    let n = Double(baskets.count)
    return (0..<snapshot.articles.count).map { i in
        var row: [(Int32, Double, Int32)] = []
        for j in 0..<snapshot.articles.count where j != i {
            let cij = basketsOf[i].intersection(basketsOf[j]).count
            guard cij >= c.minPairCount else { continue }
            let s = c.measure.score(
                c: Double(cij), ni: Double(basketsOf[i].count), nj: Double(basketsOf[j].count), n: n)
            if s > 0 { row.append((Int32(j), s, Int32(cij))) }
        }
        row.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return Array(row.prefix(c.neighbours ?? row.count))
    }
}

@Suite struct NeighbourIndexTests {
    static var base: CooccurrenceConfiguration {
        var c = CooccurrenceConfiguration()
        c.weights = .uniform
        c.maxItemsPerBasket = nil
        return c
    }

    @Test func countsEachReaderOncePerPair() {
        // r0 reads a0 three times and a1 once; r1 reads a0 and a1; r2 reads a1 and a2.
        let s = makeSnapshot(
            articles: 3, readers: 3,
            [
                (0, 0, .view, 1, -1), (0, 0, .view, 2, -1), (0, 0, .like, 3, -1), (0, 1, .view, 4, -1),
                (1, 0, .view, 5, -1), (1, 1, .view, 6, -1), (2, 1, .view, 7, -1), (2, 2, .view, 8, -1),
            ])
        var c = Self.base
        c.measure = .count
        let index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(0).map { index.neighbours[$0] } == [1])
        #expect(index.row(0).map { index.count[$0] } == [2])
        // a1's neighbours: a0 (2 readers), then a2 (1).
        #expect(index.row(1).map { index.neighbours[$0] } == [0, 2])
        #expect(index.occurrences == [2, 3, 1])
        #expect(index.basketCount == 3)
    }

    @Test func breaksTiesByArticleIndex() {
        // a0 co-occurs once with each of a3, a1, a2: equal scores, listed by index.
        let s = makeSnapshot(
            articles: 4, readers: 1,
            [(0, 3, .view, 1, -1), (0, 0, .view, 2, -1), (0, 2, .view, 3, -1), (0, 1, .view, 4, -1)])
        var c = Self.base
        c.measure = .jaccard
        let index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(0).map { index.neighbours[$0] } == [1, 2, 3])
    }

    @Test func dropsPairsBelowTheMinimumCountAndKeepsTopN() {
        let s = makeSnapshot(
            articles: 4, readers: 3,
            [
                (0, 0, .view, 1, -1), (0, 1, .view, 1, -1), (1, 0, .view, 1, -1), (1, 1, .view, 1, -1),
                (2, 0, .view, 1, -1), (2, 2, .view, 1, -1), (2, 3, .view, 1, -1),
            ])
        var c = Self.base
        c.measure = .count
        c.minPairCount = 2
        #expect(NeighbourIndex(snapshot: s, configuration: c).row(0).count == 1)
        c.minPairCount = 1
        c.neighbours = 2
        let index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(0).map { index.neighbours[$0] } == [1, 2])
    }

    @Test func capsHeavyReadersToTheirMostRecentArticles() {
        // r0 read a0..a4 in that order; with a cap of 2 only a3 and a4 co-occur.
        let s = makeSnapshot(articles: 5, readers: 1, (0..<5).map { (0, $0, .view, Int64($0), -1) })
        var c = Self.base
        c.measure = .count
        c.maxItemsPerBasket = 2
        let index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(4).map { index.neighbours[$0] } == [3])
        #expect(index.row(0).isEmpty)
    }

    @Test func sessionsAndVisitsSplitAReadersHistory() {
        // r0: a0, a1 in session 0; a2 in session 1 a day later.
        let day: Int64 = 86_400_000
        let s = makeSnapshot(
            articles: 3, readers: 1, sessions: 2, [(0, 0, .view, 0, 0), (0, 1, .view, 1000, 0), (0, 2, .view, day, 1)])
        var c = Self.base
        c.measure = .count
        c.unit = .session
        var index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(0).map { index.neighbours[$0] } == [1])
        #expect(index.row(2).isEmpty)
        c.unit = .readerGap(.seconds(3600))
        index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(0).map { index.neighbours[$0] } == [1])
        #expect(index.row(2).isEmpty)
        c.unit = .reader
        index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(2).count == 2)
    }

    @Test func crossOccurrencePairsViewsWithLaterComments() {
        // r0 viewed a0 and commented on a1; r1 viewed a0 and viewed a1.
        let s = makeSnapshot(
            articles: 2, readers: 2,
            [(0, 0, .view, 1, -1), (0, 1, .comment, 2, -1), (1, 0, .view, 1, -1), (1, 1, .view, 2, -1)])
        var c = Self.base
        c.measure = .count
        c.crossOccurrence = .init(indicator: [.view], target: [.comment])
        let index = NeighbourIndex(snapshot: s, configuration: c)
        #expect(index.row(0).map { index.neighbours[$0] } == [1])
        #expect(index.row(0).map { index.count[$0] } == [1])
        #expect(index.row(1).isEmpty)  // nobody viewed a1 and commented on a0
    }

    @Test(arguments: SimilarityMeasure.allCases)
    func matchesTheBruteForceReferenceOnRandomData(_ measure: SimilarityMeasure) {
        var rng = SplitMix64(seed: 99)
        let articles = 120
        let readers = 300
        var rows: [(Int, Int, EventType, Int64, Int32)] = []
        for _ in 0..<4000 {
            // Skewed: low article indices are popular.
            let a = Int(Double(articles) * pow(rng.nextUnit(), 2))
            rows.append(
                (
                    rng.next(below: readers), a, [.view, .like, .comment][rng.next(below: 3)],
                    Int64(rng.next(below: 1000)), -1
                ))
        }
        let s = makeSnapshot(articles: articles, readers: readers, rows)
        var c = Self.base
        c.measure = measure
        c.minPairCount = 2
        c.neighbours = 15
        let index = NeighbourIndex(snapshot: s, configuration: c)
        let reference = bruteForce(s, c)
        for i in 0..<articles {
            let got = index.row(i).map { (index.neighbours[$0], index.similarity[$0], index.count[$0]) }
            #expect(got.map(\.0) == reference[i].map(\.0), "row \(i)")
            #expect(got.map(\.2) == reference[i].map(\.2), "row \(i)")
            for (x, y) in zip(got, reference[i]) { #expect(abs(x.1 - y.1) <= 1e-12 * max(1, abs(y.1))) }
        }
    }

    @Test func isDeterministic() {
        var rng = SplitMix64(seed: 5)
        let rows = (0..<5000).map { _ in
            (rng.next(below: 200), rng.next(below: 300), EventType.view, Int64(rng.next(below: 100)), Int32(-1))
        }
        let s = makeSnapshot(articles: 300, readers: 200, rows)
        let a = NeighbourIndex(snapshot: s, configuration: CooccurrenceConfiguration())
        let b = NeighbourIndex(snapshot: s, configuration: CooccurrenceConfiguration())
        #expect(a == b)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
