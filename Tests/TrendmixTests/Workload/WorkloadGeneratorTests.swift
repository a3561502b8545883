import Foundation
import Testing
import Trendmix
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@Suite struct WorkloadGeneratorTests {
    static func parameters(seed: UInt64 = 7) -> WorkloadGenerator.Parameters {
        var p = WorkloadGenerator.Parameters()
        p.sites = 4
        p.articles = 400
        p.readers = 300
        p.events = 20_000
        p.days = 14
        p.seed = seed
        return p
    }

    @Test func theSameSeedWritesIdenticalFiles() throws {
        let a = try TemporaryDirectory("gen")
        let b = try TemporaryDirectory("gen")
        _ = try WorkloadGenerator(parameters: Self.parameters()).write(to: a.path)
        _ = try WorkloadGenerator(parameters: Self.parameters()).write(to: b.path)
        for name in ["sites.csv", "articles.csv", "events.csv"] {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: a.file(name)))
                    == Data(contentsOf: URL(fileURLWithPath: b.file(name))))
        }
        let c = try TemporaryDirectory("gen")
        _ = try WorkloadGenerator(parameters: Self.parameters(seed: 8)).write(to: c.path)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: a.file("events.csv")))
                != Data(contentsOf: URL(fileURLWithPath: c.file("events.csv"))))
    }

    @Test func writesAValidCanonicalWorkloadWithinItsSpan() throws {
        let dir = try TemporaryDirectory("gen")
        let p = Self.parameters()
        let output = try WorkloadGenerator(parameters: p).write(to: dir.path)
        #expect(output.events == p.events && output.articles == p.articles && output.sites == p.sites)
        let store = try SQLiteArticleStore()
        let summary = try store.run(CanonicalImporter(path: dir.path))
        #expect(summary.events.added == p.events && summary.articles.added == p.articles)
        #expect(summary.readers.added == output.readers)
        let stats = try store.statistics()
        let start = Timestamp(milliseconds: p.end.milliseconds - Int64(p.days) * 86_400_000)
        #expect(try #require(stats.firstEvent) >= start)
        #expect(try #require(stats.lastEvent) < p.end)
        #expect(stats.sites.map(\.kind) == ["blog", "lifestyle", "news", "travel"])
        // Readers visit other sites: a good share of active readers are on more than one.
        #expect(Double(stats.crossSiteReaders) > 0.2 * Double(output.readers))
        // No event precedes the publication of its article.
        var published: [String: Timestamp] = [:]
        for site in try store.sites() {
            for a in try store.articles(site: site.slug) { published[a.externalID] = a.publishedAt }
        }
        var early = 0
        try store.forEachEvent(from: nil, to: nil) { e in
            if let p = published[e.article], e.time.seconds < p.seconds { early += 1 }
        }
        #expect(early == 0)
    }

    @Test func popularityIsSkewedAndShiftsOverTime() throws {
        let dir = try TemporaryDirectory("gen")
        var p = Self.parameters()
        p.events = 60_000
        _ = try WorkloadGenerator(parameters: p).write(to: dir.path)
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.path))
        let mid = Timestamp(milliseconds: p.end.milliseconds - Int64(p.days) * 43_200_000)
        var first: [String: Int] = [:]
        var second: [String: Int] = [:]
        try store.forEachEvent(from: nil, to: nil) { e in
            if e.time < mid { first[e.article, default: 0] += 1 } else { second[e.article, default: 0] += 1 }
        }
        func top(_ counts: [String: Int]) -> [String] {
            counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(20).map(\.key)
        }
        // Heavy tail: the top 5 % of articles take far more than 5 % of the events.
        let all = first.merging(second, uniquingKeysWith: +).values.sorted(by: >)
        let head = all.prefix(p.articles / 20).reduce(0, +)
        #expect(Double(head) > 0.2 * Double(p.events))
        // Trending: the two halves' top-20 lists differ substantially.
        let overlap = Set(top(first)).intersection(top(second)).count
        #expect(overlap < 15)
    }
}
