import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@Suite struct CanonicalImporterTests {
    func fixtureFolder() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("canonical")
        for (name, text) in Fixtures.canonical { try dir.write(name, text) }
        return dir
    }

    @Test func importsTheCSVFixtureWithHandCheckedCounts() throws {
        let dir = try fixtureFolder()
        let store = try SQLiteArticleStore()
        let summary = try store.run(CanonicalImporter(path: dir.path))
        #expect(summary.sites.added == 3)
        #expect(summary.articles.added == 5)
        // japan, living, nature, fashion ("Japan" is lowercased into "japan").
        #expect(summary.tags.added == 4)
        #expect(summary.readers.added == 3)
        #expect(summary.events.added == 8)
        #expect(summary.daily.added == 2)
        #expect(summary.links.added == 1)

        let n1 = try #require(try store.article(site: "news", externalID: "n1"))
        #expect(n1.title == "Trash Talk: A Guide to Garbage Disposal, in Japan")
        #expect(n1.publishedAt == TimestampParser.parse("2024-02-28T09:00:00Z"))
        #expect(try store.article(site: "news", externalID: "n2")?.title == "A \"quoted\" headline")
        #expect(
            try store.article(site: "news", externalID: "n2")?.publishedAt
                == TimestampParser.parse("2024-02-29T09:30:00Z"))
        #expect(try store.article(site: "travel", externalID: "t1")?.tags == ["nature", "japan"])
        let t2 = try #require(try store.article(site: "travel", externalID: "t2"))
        #expect(t2.url == nil && t2.publishedAt == nil && t2.tags.isEmpty && t2.language == nil)
        #expect(try store.article(site: "blog", externalID: "b1")?.title == "Where To Buy Plus Size Clothes\nIn Japan")

        let stats = try store.statistics()
        #expect(stats.eventsByType == ["view": 3, "like": 1, "comment": 1, "share": 1, "upvote": 1, "rating": 1])
        #expect(stats.crossSiteReaders == 2)  // alice (news, travel) and bob (news, blog)
        var rating = 0.0
        try store.forEachEvent(from: nil, to: nil) { if $0.sourceID == "e8" { rating = $0.value } }
        #expect(rating == 4.5)
    }

    @Test func importsTheSameRecordsFromJSONLines() throws {
        let csv = try fixtureFolder()
        let csvStore = try SQLiteArticleStore()
        _ = try csvStore.run(CanonicalImporter(path: csv.path))

        let dir = try TemporaryDirectory("jsonl")
        try dir.write(
            "sites.jsonl",
            """
            {"slug":"news","name":"Daily News","kind":"news","base_url":"https://news.example.com"}
            {"slug":"travel","name":"Travel Guide","kind":"travel","base_url":"https://travel.example.com"}

            {"slug":"blog","name":"The Blog","kind":"blog","base_url":"https://blog.example.com"}
            """)
        try dir.write(
            "articles.jsonl",
            """
            {"site":"news","id":"n1","url":"https://news.example.com/n1","title":"Trash Talk: A Guide to Garbage Disposal, in Japan","published_at":"2024-02-28T09:00:00Z","language":"en","tags":["japan","living"]}
            {"site":"news","id":"n2","url":"https://news.example.com/n2","title":"A \\"quoted\\" headline","published_at":"2024-02-29T10:30:00+01:00","language":"en"}
            {"site":"travel","id":"t1","url":"https://travel.example.com/t1","title":"Half Moon Lake","published_at":"2024-01-15","language":"en","tags":"nature|Japan"}
            {"site":"travel","id":"t2","url":null,"title":"Untitled draft"}
            {"site":"blog","id":"b1","url":"https://blog.example.com/b1","title":"Where To Buy Plus Size Clothes\\nIn Japan","published_at":1709200000,"language":"en","tags":["fashion"]}
            """)
        try dir.write(
            "events.jsonl",
            """
            {"id":"e1","site":"news","article":"n1","reader":"alice","session":"s1","type":"view","time":"2024-02-28T10:00:00Z"}
            {"id":"e2","site":"news","article":"n2","reader":"alice","session":"s1","type":"view","time":"2024-02-28T10:05:00Z"}
            {"id":"e3","site":"travel","article":"t1","reader":"alice","session":"s2","type":"like","time":"2024-02-29T08:00:00Z"}
            {"id":"e4","site":"news","article":"n1","reader":"bob","type":"comment","time":"2024-02-29T09:00:00Z"}
            {"id":"e5","site":"blog","article":"b1","reader":"bob","session":"s3","type":"share","time":"2024-02-29T09:30:00Z"}
            {"id":"e6","site":"blog","article":"b1","type":"view","time":"2024-02-29T11:00:00Z"}
            {"id":"e7","site":"travel","article":"t1","reader":"carol","session":"s4","type":"vote","time":1709200000}
            {"id":"e8","site":"travel","article":"t2","reader":"carol","session":"s4","type":"rating","time":"1709200100","value":4.5}
            """)
        try dir.write(
            "daily.jsonl",
            """
            {"site":"news","article":"n1","day":"2024-02-28","views":120,"votes":3,"score":1,"comments":2}
            {"site":"travel","article":"t1","day":"2024-02-29","views":40}
            """)
        try dir.write("links.jsonl", #"{"site":"news","from":"n1","to":"n2","kind":"related"}"#)
        let jsonStore = try SQLiteArticleStore()
        let summary = try jsonStore.run(CanonicalImporter(path: dir.path))
        #expect(summary.events.added == 8 && summary.articles.added == 5)
        #expect(try logicalContents(of: jsonStore) == logicalContents(of: csvStore))
    }

    @Test func importsASingleFileNamedForWhatItHolds() throws {
        let dir = try fixtureFolder()
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.file("sites.csv")))
        _ = try store.run(CanonicalImporter(path: dir.file("articles.csv")))
        let summary = try store.run(CanonicalImporter(path: dir.file("events.csv")))
        #expect(summary.events.added == 8)
    }

    @Test func exportThenImportGivesTheSameStore() throws {
        let dir = try fixtureFolder()
        let original = try SQLiteArticleStore()
        _ = try original.run(CanonicalImporter(path: dir.path))
        let out = try TemporaryDirectory("export")
        let written = try CanonicalExporter(store: original).write(to: out.path)
        #expect(written.events == 8 && written.articles == 5 && written.daily == 2 && written.links == 1)
        let copy = try SQLiteArticleStore()
        _ = try copy.run(CanonicalImporter(path: out.path))
        #expect(try logicalContents(of: copy) == logicalContents(of: original))
    }

    @Test func alignedExportShiftsEachSiteByWholeDays() throws {
        let dir = try fixtureFolder()
        let original = try SQLiteArticleStore()
        _ = try original.run(CanonicalImporter(path: dir.path))
        let out = try TemporaryDirectory("export")
        let end = try #require(TimestampParser.parse("2024-03-10"))
        _ = try CanonicalExporter(store: original, sites: ["news"], alignEnd: end).write(to: out.path)
        let copy = try SQLiteArticleStore()
        _ = try copy.run(CanonicalImporter(path: out.path))
        let stats = try copy.statistics()
        #expect(stats.sites.map(\.slug) == ["news"])
        // news's last event (e4) was 2024-02-29T09:00Z: ten days later it is 2024-03-10T09:00Z.
        #expect(stats.lastEvent == TimestampParser.parse("2024-03-10T09:00:00Z"))
        #expect(
            try copy.article(site: "news", externalID: "n1")?.publishedAt
                == TimestampParser.parse("2024-03-09T09:00:00Z"))
    }
}
