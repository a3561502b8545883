import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Expected counts per Stack Exchange site. They were checked by a second, independent implementation of the
/// import rules: `python3 Evaluation/checks/stackexchange_counts.py ../shared/data/stackexchange/*/`.
struct SiteExpectation: CustomTestStringConvertible, Sendable {
    var folder: String
    var articles: Int
    var post: Int
    var answer: Int
    var comment: Int
    var favorite: Int
    var daily: Int
    var links: Int
    var events: Int { post + answer + comment + favorite }
    var testDescription: String { folder }

    /// The folder's importer, with the site its dump came from (PROVENANCE.md: `<folder>.stackexchange.com`): the
    /// folder's bare name is no host, so the importer would not guess the address.
    func importer(_ data: String) -> StackExchangeImporter {
        StackExchangeImporter(
            folder: "\(data)/stackexchange/\(folder)",
            site: StackExchangeImporter.site(forFolder: "\(folder).stackexchange.com"))
    }
}

let stackExchangeSites = [
    SiteExpectation(
        folder: "beer", articles: 1029, post: 1022, answer: 2259, comment: 3459, favorite: 382, daily: 8312, links: 141),
    SiteExpectation(
        folder: "beer.meta", articles: 94, post: 88, answer: 134, comment: 362, favorite: 9, daily: 520, links: 38),
    SiteExpectation(
        folder: "bicycles.meta", articles: 453, post: 425, answer: 955, comment: 2363, favorite: 0, daily: 2744,
        links: 182),
    SiteExpectation(
        folder: "conlang.meta", articles: 54, post: 53, answer: 109, comment: 216, favorite: 10, daily: 391, links: 20),
    SiteExpectation(
        folder: "devops.meta", articles: 82, post: 82, answer: 145, comment: 395, favorite: 9, daily: 397, links: 29),
    SiteExpectation(
        folder: "french.meta", articles: 274, post: 255, answer: 460, comment: 1269, favorite: 125, daily: 1981,
        links: 128),
    SiteExpectation(
        folder: "italian", articles: 266, post: 266, answer: 571, comment: 1697, favorite: 55, daily: 1338, links: 13),
    SiteExpectation(
        folder: "quantumcomputing", articles: 612, post: 611, answer: 1059, comment: 3412, favorite: 706, daily: 3580,
        links: 305),
]

@Suite(.enabled(if: Locations.sharedData != nil, "../shared/data is absent: the real-data tests are skipped"))
struct SharedDataTests {
    @Test(arguments: stackExchangeSites)
    func importsEachStackExchangeSiteWithItsExactCounts(_ expected: SiteExpectation) throws {
        let data = try #require(Locations.sharedData)
        let store = try SQLiteArticleStore()
        let summary = try store.run(expected.importer(data))
        #expect(summary.articles.added == expected.articles)
        #expect(summary.events.added == expected.events)
        #expect(summary.daily.added == expected.daily)
        #expect(summary.links.added == expected.links)
        let stats = try store.statistics()
        #expect(stats.eventsByType["post"] ?? 0 == expected.post)
        #expect(stats.eventsByType["answer"] ?? 0 == expected.answer)
        #expect(stats.eventsByType["comment"] ?? 0 == expected.comment)
        #expect(stats.eventsByType["favorite"] ?? 0 == expected.favorite)
        #expect(try store.run(expected.importer(data)).changedNothing)
    }

    @Test func importsAllEightSitesIntoOneNetworkOfReaders() throws {
        let data = try #require(Locations.sharedData)
        let dir = try TemporaryDirectory("network")
        let store = try SQLiteArticleStore(path: dir.file("network.sqlite"))
        for site in stackExchangeSites {
            _ = try store.run(site.importer(data))
        }
        let stats = try store.statistics()
        #expect(stats.sites.count == 8)
        #expect(stats.articles == stackExchangeSites.map(\.articles).reduce(0, +))
        #expect(stats.events == stackExchangeSites.map(\.events).reduce(0, +))
        // beer and beer.meta share 75 accounts (PROVENANCE): many readers are on more than one site.
        #expect(stats.crossSiteReaders > 75)
    }

    @Test func importsDeskDropWithItsPublishedCounts() throws {
        let data = try #require(Locations.sharedData)
        let store = try SQLiteArticleStore()
        let summary = try store.run(DeskDropImporter(path: "\(data)/deskdrop/users_interactions.csv"))
        #expect(summary.events.added == 72_312)
        #expect(summary.articles.added == 2_987)
        #expect(summary.readers.added == 1_895)
        let stats = try store.statistics()
        #expect(
            stats.eventsByType == [
                "view": 61_086, "like": 5_745, "bookmark": 2_463, "comment": 1_611, "follow": 1_407,
            ])
        #expect(stats.firstEvent == TimestampParser.parse("2016-03-14T13:54:36Z"))
        #expect(stats.lastEvent == TimestampParser.parse("2017-02-28T19:21:51Z"))
        var sessions = Set<String>()
        try store.forEachEvent(from: nil, to: nil) { if let s = $0.session { sessions.insert(s) } }
        #expect(sessions.count == 28_740)
    }

    /// Issue 18: `export` then `import` into a fresh database is a backup path: on all of ../shared/data (eight
    /// Stack Exchange sites and DeskDrop in one database) the copy's statistics and logical contents equal the
    /// original's.
    @Test func exportThenImportReproducesAllOfTheSharedData() throws {
        let data = try #require(Locations.sharedData)
        let dir = try TemporaryDirectory("roundtrip")
        let original = try SQLiteArticleStore(path: dir.file("original.sqlite"))
        for site in stackExchangeSites { _ = try original.run(site.importer(data)) }
        _ = try original.run(DeskDropImporter(path: "\(data)/deskdrop/users_interactions.csv"))
        _ = try CanonicalExporter(store: original).write(to: dir.file("export"))
        let copy = try SQLiteArticleStore(path: dir.file("copy.sqlite"))
        _ = try copy.run(CanonicalImporter(path: dir.file("export")))
        #expect(try copy.statistics() == original.statistics())
        #expect(try copy.statistics().events == stackExchangeSites.map(\.events).reduce(0, +) + 72_312)
    }
}
