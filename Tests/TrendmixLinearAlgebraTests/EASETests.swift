import Foundation
import Testing
import TrendmixCore
import TrendmixTestSupport

@testable import TrendmixLinearAlgebra

/// A two-site snapshot of `events` (reader, article, time) views.
func snapshot(articles: Int, readers: Int, _ events: [(Int, Int, Int64)]) -> Snapshot {
    var a = Snapshot.Articles()
    for i in 0..<articles { a.append(site: Int32(i % 2), externalID: "a\(i)") }
    var e = Snapshot.Events()
    for (reader, article, time) in events {
        e.append(article: Int32(article), reader: Int32(reader), session: -1, type: .view, time: time)
    }
    return Snapshot(
        sites: [
            Site(slug: "news", name: "News", kind: "news", baseURL: "https://n.example"),
            Site(slug: "travel", name: "Travel", kind: "travel", baseURL: "https://t.example"),
        ], articles: a, tags: [], readers: (0..<readers).map { "r\($0)" }, sessionCount: 0, events: e)
}

/// Seeded events with a popular head and readers of uneven appetite.
func generated(articles: Int, readers: Int, events: Int, seed: UInt64) -> [(Int, Int, Int64)] {
    var random = SplitMix64(seed: seed)
    return (0..<events).map { i in
        let u = random.nextUnit()
        let article = Int(Double(articles) * u * u) % articles
        let reader = Int(Double(readers) * random.nextUnit()) % readers
        return (reader, article, Int64(i) * 60_000)
    }
}

func configuration(lambda: Double, maxArticles: Int = 10_000, neighbours: Int? = nil) -> CooccurrenceConfiguration {
    var c = CooccurrenceConfiguration()
    c.ease = EASEConfiguration(lambda: lambda, maxArticles: maxArticles)
    c.neighbours = neighbours
    return c
}

@Suite struct LinearAlgebraTests {
    @Test func invertsASymmetricPositiveDefiniteMatrix() {
        let n = 40
        var random = SplitMix64(seed: 3)
        let m = (0..<n * n).map { _ in random.nextUnit() - 0.5 }
        // A = MᵀM + I.
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                a[i * n + j] = (0..<n).reduce(i == j ? 1 : 0) { $0 + m[$1 * n + i] * m[$1 * n + j] }
            }
        }
        var inverse = a
        #expect(LinearAlgebra.invertSymmetricPositiveDefinite(&inverse, n: n))
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let product = (0..<n).reduce(0.0) { $0 + a[i * n + $1] * inverse[$1 * n + j] }
                worst = max(worst, abs(product - (i == j ? 1 : 0)))
                #expect(inverse[i * n + j] == inverse[j * n + i])
            }
        }
        #expect(worst < 1e-9)
    }

    @Test func refusesAMatrixThatIsNotPositiveDefinite() {
        var a: [Double] = [1, 2, 2, 1]
        #expect(!LinearAlgebra.invertSymmetricPositiveDefinite(&a, n: 2))
        var empty: [Double] = []
        #expect(LinearAlgebra.invertSymmetricPositiveDefinite(&empty, n: 0))
    }
}

@Suite struct EASETests {
    /// The Gram matrix against brute force, and B against EASE's optimality condition: (XᵀX + λI)·B equals XᵀX
    /// off the diagonal (from (XᵀX + λI)·P = I), with diag B = 0.
    @Test func weightsSatisfyTheClosedForm() {
        let s = snapshot(articles: 30, readers: 50, generated(articles: 30, readers: 50, events: 400, seed: 11))
        let ease = EASE(snapshot: s, configuration: configuration(lambda: 5))
        let n = ease.articles.count
        #expect(n > 20)
        var readersOf = [Set<Int32>](repeating: [], count: 30)
        for e in 0..<s.events.count { readersOf[Int(s.events.article[e])].insert(s.events.reader[e]) }
        var gram = EASE.gram(baskets: ease.baskets, articles: ease.articles, articleCount: 30)
        for i in 0..<n {
            for j in 0..<n {
                let both = readersOf[Int(ease.articles[i])].intersection(readersOf[Int(ease.articles[j])]).count
                #expect(gram[i * n + j] == Double(both))
            }
        }
        for k in 0..<n { gram[k * n + k] += 5 }
        var worst = 0.0
        for i in 0..<n {
            #expect(ease.weights[i * n + i] == 0)
            for j in 0..<n where i != j {
                let product = (0..<n).reduce(0.0) { $0 + gram[i * n + $1] * ease.weights[$1 * n + j] }
                worst = max(worst, abs(product - (gram[i * n + j])))
            }
        }
        #expect(worst < 1e-9)
    }

    @Test func rowsKeepTheBestPositiveWeightsWithTheirCounts() {
        let s = snapshot(articles: 30, readers: 50, generated(articles: 30, readers: 50, events: 400, seed: 12))
        let ease = EASE(snapshot: s, configuration: configuration(lambda: 5))
        let index = ease.neighbourIndex(limit: 4)
        let n = ease.articles.count
        for (k, a) in ease.articles.enumerated() {
            let row = index.row(Int(a))
            let expected = (0..<n).filter { ease.weights[k * n + $0] > 0 }
                .sorted { (ease.weights[k * n + $0], -$0) > (ease.weights[k * n + $1], -$1) }.prefix(4)
            #expect(row.map { index.neighbours[$0] } == expected.map { ease.articles[$0] })
            #expect(row.map { index.similarity[$0] } == expected.map { ease.weights[k * n + $0] })
            for m in row {
                #expect(Int(index.count[m]) == ease.baskets.shared(Int(a), Int(index.neighbours[m])))
            }
        }
        #expect(index.occurrences.count == 30)
        #expect(index.basketCount == Set(s.events.reader).count)
    }

    /// Over the cap, the articles engaged most recently take part; the others get empty rows.
    @Test func capKeepsTheArticlesEngagedMostRecently() {
        // Articles 0–5, each read by readers 0–2; article k's last read is at time k (article 5 the latest).
        var events: [(Int, Int, Int64)] = []
        for article in 0..<6 { for reader in 0..<3 { events.append((reader, article, Int64(article))) } }
        let s = snapshot(articles: 6, readers: 3, events)
        let ease = EASE(snapshot: s, configuration: configuration(lambda: 1, maxArticles: 3))
        #expect(ease.articles == [3, 4, 5])
        let index = NeighbourIndex.learned(snapshot: s, configuration: configuration(lambda: 1, maxArticles: 3))
        for a in 0..<3 { #expect(index.row(a).isEmpty) }
        #expect(index.row(5).map { index.neighbours[$0] }.sorted() == [3, 4])
    }

    @Test func withoutEASETheRowsAreCountedCooccurrence() {
        let s = snapshot(articles: 10, readers: 8, generated(articles: 10, readers: 8, events: 60, seed: 13))
        let c = CooccurrenceConfiguration()
        #expect(NeighbourIndex.learned(snapshot: s, configuration: c) == NeighbourIndex(snapshot: s, configuration: c))
    }

    /// The same B and the same reader scores as EASE written directly in numpy (Evaluation/peers/ease_reference.py).
    @Test func agreesWithTheNumpyReference() throws {
        guard let python = Locations.peerPython else {
            if ProcessInfo.processInfo.environment["TRENDMIX_REQUIRE_PEERS"] == "1" {
                Issue.record("TRENDMIX_REQUIRE_PEERS=1 but no Python with Evaluation/peers/requirements.txt was found")
            } else {
                print("skipped: no Python with Evaluation/peers/requirements.txt (set TRENDMIX_PYTHON or run .ci/run)")
            }
            return
        }
        let events = generated(articles: 60, readers: 90, events: 900, seed: 14)
        let s = snapshot(articles: 60, readers: 90, events)
        let ease = EASE(snapshot: s, configuration: configuration(lambda: 7.5))
        let dir = try TemporaryDirectory("ease-reference")
        let pairs = try dir.write("pairs.csv", events.map { "\($0.0),\($0.1)\n" }.joined())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Locations.packageRoot + "/Evaluation/peers/ease_reference.py", pairs, "7.5", dir.file("ease.json"),
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("ease.json"))))
            as? [String: Any]
        let articles = (json?["articles"] as? [NSNumber])?.map { Int32($0.intValue) }
        let readers = (json?["readers"] as? [NSNumber])?.map(\.intValue) ?? []
        let weights = (json?["weights"] as? [NSNumber])?.map(\.doubleValue) ?? []
        let scores = (json?["scores"] as? [NSNumber])?.map(\.doubleValue) ?? []
        #expect(articles == ease.articles)
        try #require(weights.count == ease.weights.count)
        #expect(zip(weights, ease.weights).allSatisfy { abs($0 - $1) < 1e-6 })
        // Reader scores: Σ over the reader's distinct articles of B's rows.
        let n = ease.articles.count
        var worst = 0.0
        for (r, reader) in readers.enumerated() {
            let read = Set(events.filter { $0.0 == reader }.map { Int32($0.1) })
            for j in 0..<n {
                let mine = (0..<n).filter { read.contains(ease.articles[$0]) }.reduce(0.0) {
                    $0 + ease.weights[$1 * n + j]
                }
                worst = max(worst, abs(mine - scores[r * n + j]))
            }
        }
        #expect(worst < 1e-6)
    }
}
