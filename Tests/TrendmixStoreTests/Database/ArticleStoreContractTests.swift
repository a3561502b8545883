import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// Every store conformer must pass this suite and ``ModelStoreContractTests``: add a case to `StoreKind` for a
/// new conformer (CONTRIBUTING.md, "Add a store").
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqliteInMemory
    case sqliteFile
    /// A new database on the server `TRENDMIX_TEST_POSTGRES` names (``PostgresDatabase``); left out of
    /// ``available`` without one.
    case postgres

    var testDescription: String { rawValue }

    /// The conformers this run can test: PostgreSQL only with a test server (CI always has one, and
    /// `PostgresTestServerTests` fails there without it).
    static var available: [StoreKind] {
        PostgresDatabase.server == nil ? [.sqliteInMemory, .sqliteFile] : allCases
    }

    /// A new empty store, and what must outlive it (a folder, a database).
    func make() throws -> (any ArticleStore & ModelStore, AnyObject) {
        switch self {
        case .sqliteInMemory: return (try SQLiteArticleStore(), try TemporaryDirectory("store"))
        case .sqliteFile:
            let dir = try TemporaryDirectory("store")
            return (try SQLiteArticleStore(path: dir.file("t.sqlite")), dir)
        case .postgres:
            let database = try PostgresDatabase()
            return (try PostgresStore(url: database.url), database)
        }
    }
}

let here = SourceLocation(file: "test")

func seed(_ writer: any ImportWriter) throws {
    try writer.upsertSite(Site(slug: "news", name: "News", kind: "news", baseURL: "https://news.example"), at: here)
    try writer.upsertSite(Site(slug: "travel", name: "Travel", kind: "travel", baseURL: "https://t.example"), at: here)
    try writer.upsertArticle(
        Article(
            site: "news", externalID: "n1", url: "https://news.example/n1", title: "One",
            publishedAt: Timestamp(seconds: 100), language: "en", tags: ["japan", "living"]), at: here)
    try writer.upsertArticle(Article(site: "travel", externalID: "t1", title: "Lake", tags: ["japan"]), at: here)
    try writer.addEvent(
        EngagementEvent(
            sourceID: "e1", site: "news", article: "n1", reader: "r1", session: "s", type: .view,
            time: Timestamp(seconds: 200)), at: here)
    try writer.addEvent(
        EngagementEvent(
            sourceID: "e2", site: "travel", article: "t1", reader: "r1", type: .like,
            time: Timestamp(seconds: 150)), at: here)
    try writer.addEvent(
        EngagementEvent(
            sourceID: "e3", site: "travel", article: "t1", reader: nil, type: .rating,
            time: Timestamp(seconds: 300), value: 4.5), at: here)
    try writer.setDaily(
        DailyEngagement(site: "news", article: "n1", day: 3, views: 10, votes: 2, score: 0, comments: 1), at: here)
    try writer.addLink(site: "news", from: "n1", to: "n1", kind: .related, at: here)
}

@Suite struct ArticleStoreContractTests {
    /// A server's posted batches stored together: each whole or not at all, in order, a failing one alone left
    /// out, a repeat of an earlier batch's event unchanged.
    @Test(arguments: StoreKind.available)
    func groupedImportsKeepEachBatchWholeAndLeaveOutOnlyTheOneThatFails(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        func event(_ id: String, _ article: String = "n1") -> EngagementEvent {
            EngagementEvent(
                sourceID: id, site: "news", article: article, reader: "r9", type: .view,
                time: Timestamp(seconds: 400))
        }
        let outcomes = try store.importGrouped([
            { try $0.addEvent(event("g1"), at: here) },
            {
                try $0.addEvent(event("g2"), at: here)
                try $0.addEvent(event("g3", "no-such-article"), at: here)
            },
            {
                try $0.addEvent(event("g1"), at: here)
                try $0.addEvent(event("g4"), at: here)
            },
        ])
        #expect(outcomes.count == 3)
        #expect(try outcomes[0].get().events.added == 1)
        #expect(throws: ImportError.self) { try outcomes[1].get() }
        #expect(try outcomes[2].get().events.added == 1 && outcomes[2].get().events.unchanged == 1)
        var stored: [String] = []
        try store.forEachEvent(from: Timestamp(seconds: 400), to: nil) { stored.append($0.sourceID) }
        #expect(stored.sorted() == ["g1", "g4"], "g2 went with the batch that failed")
    }

    @Test(arguments: StoreKind.available)
    func storesAndReadsBackEveryKindOfRecord(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        let summary = try store.importRecords(dryRun: false, seed)
        #expect(summary.sites.added == 2)
        #expect(summary.articles.added == 2)
        #expect(summary.tags.added == 2)
        #expect(summary.readers.added == 1)
        #expect(summary.events.added == 3)
        #expect(summary.daily.added == 1)
        #expect(summary.links.added == 1)

        #expect(try store.sites().map(\.slug) == ["news", "travel"])
        let n1 = try #require(try store.article(site: "news", externalID: "n1"))
        #expect(n1.title == "One" && n1.tags == ["japan", "living"] && n1.publishedAt == Timestamp(seconds: 100))
        #expect(try store.article(site: "news", externalID: "missing") == nil)
        #expect(try store.articles(site: "travel").map(\.externalID) == ["t1"])

        var events: [EngagementEvent] = []
        try store.forEachEvent(from: nil, to: nil) { events.append($0) }
        #expect(events.map(\.sourceID) == ["e2", "e1", "e3"])
        #expect(events[2].value == 4.5 && events[2].reader == nil)
        #expect(events[1].session == "s" && events[1].reader == "r1")
        var window: [String] = []
        try store.forEachEvent(from: Timestamp(seconds: 150), to: Timestamp(seconds: 300)) {
            window.append($0.sourceID)
        }
        #expect(window == ["e2", "e1"])

        #expect(
            try store.dailyEngagement(site: "news") == [
                DailyEngagement(site: "news", article: "n1", day: 3, views: 10, votes: 2, score: 0, comments: 1)
            ])
        #expect(try store.links(site: nil) == [ArticleLink(site: "news", from: "n1", to: "n1", kind: .related)])

        let stats = try store.statistics()
        #expect(stats.events == 3 && stats.articles == 2 && stats.readers == 1 && stats.crossSiteReaders == 1)
        #expect(stats.eventsByType == ["view": 1, "like": 1, "rating": 1])
        #expect(stats.sites.map(\.events) == [1, 2])
        #expect(stats.firstEvent == Timestamp(seconds: 150) && stats.lastEvent == Timestamp(seconds: 300))
    }

    @Test(arguments: StoreKind.available)
    func reimportingTheSameRecordsAddsNothing(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        let again = try store.importRecords(dryRun: false, seed)
        #expect(again.changedNothing)
        #expect(again.events.unchanged == 3 && again.articles.unchanged == 2 && again.daily.unchanged == 1)
        #expect(try store.statistics().events == 3)
    }

    @Test(arguments: StoreKind.available)
    func updatesChangedArticlesAndDailyCounts(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        let summary = try store.importRecords(dryRun: false) { w in
            try w.upsertArticle(
                Article(site: "travel", externalID: "t1", title: "Half Moon Lake", tags: ["nature"]), at: here)
            try w.setDaily(DailyEngagement(site: "news", article: "n1", day: 3, views: 11), at: here)
            try w.addTag("japan", site: "news", article: "n1", at: here)
            try w.addTag("tokyo", site: "news", article: "n1", at: here)
        }
        #expect(summary.articles.updated == 1 && summary.daily.updated == 1)
        let t1 = try #require(try store.article(site: "travel", externalID: "t1"))
        #expect(t1.title == "Half Moon Lake" && t1.tags == ["nature"])
        #expect(try store.article(site: "news", externalID: "n1")?.tags == ["japan", "living", "tokyo"])
        #expect(try store.dailyEngagement(site: nil).first?.views == 11)
    }

    @Test(arguments: StoreKind.available)
    func aFailedImportLeavesNothingBehind(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        let before = try store.statistics()
        #expect(throws: ImportError.self) {
            _ = try store.importRecords(dryRun: false) { w in
                try w.upsertSite(Site(slug: "blog", name: "Blog", kind: "blog", baseURL: "https://b.example"), at: here)
                try w.upsertArticle(Article(site: "blog", externalID: "b1", tags: ["new"]), at: here)
                try w.addEvent(
                    EngagementEvent(
                        sourceID: "x", site: "blog", article: "nope", reader: "r9", type: .view,
                        time: Timestamp(seconds: 1)), at: SourceLocation(file: "events.csv", line: 7))
            }
        }
        #expect(try store.statistics() == before)
    }

    @Test(arguments: StoreKind.available)
    func aDryRunReportsButWritesNothing(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        let summary = try store.importRecords(dryRun: true, seed)
        #expect(summary.dryRun && summary.events.added == 3)
        #expect(try store.statistics().events == 0)
        #expect(try store.sites().isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func refusesAnEventIdRepeatedWithinOneImport(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        let error = try #require(throws: ImportError.self) {
            _ = try store.importRecords(dryRun: false) { w in
                try seed(w)
                try w.addEvent(
                    EngagementEvent(
                        sourceID: "e1", site: "news", article: "n1", reader: "r2", type: .view,
                        time: Timestamp(seconds: 5)), at: SourceLocation(file: "events.csv", line: 9))
            }
        }
        #expect("\(error)".contains("events.csv:9") && "\(error)".contains("appears twice"))
    }

    @Test(arguments: StoreKind.available)
    func theSameEventIdOnAnotherSiteIsAnotherEvent(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        let summary = try store.importRecords(dryRun: false) { w in
            try seed(w)
            try w.addEvent(
                EngagementEvent(
                    sourceID: "e1", site: "travel", article: "t1", reader: "r1", type: .view,
                    time: Timestamp(seconds: 5)), at: here)
        }
        #expect(summary.events.added == 4)
    }

    @Test(arguments: StoreKind.available)
    func recordsInteractionsOnceAndTheirClicksAsEvents(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        func interaction(_ id: String, _ kind: WidgetInteraction.Kind, position: Int) -> WidgetInteraction {
            WidgetInteraction(
                sourceID: id, kind: kind, placement: "below-article", host: "news", seed: "n1", site: "travel",
                article: "t1", position: position, reader: "r1", time: Timestamp(seconds: 400))
        }
        let batch = [interaction("i1", .impression, position: 2), interaction("c1", .click, position: 2)]
        let first = try store.record(batch) { SourceLocation(file: "test", element: "impressions[\($0)]") }
        #expect(first.added == 2 && first.unchanged == 0 && first.clicks.map(\.sourceID) == ["click:c1"])
        let again = try store.record(batch) { SourceLocation(file: "test", element: "impressions[\($0)]") }
        #expect(again.added == 0 && again.unchanged == 2 && again.clicks.isEmpty)
        #expect(
            try store.interactionSummary() == [
                PlacementClicks(placement: "below-article", position: 2, impressions: 1, clicks: 1)
            ])
        #expect(try store.statistics().eventsByType["click"] == 1)
        // A batch naming an unknown article is refused whole, naming the element and field.
        var unknown = interaction("i4", .impression, position: 1)
        unknown.article = "missing"
        let refused = try #require(throws: ImportError.self) {
            _ = try store.record([interaction("i5", .impression, position: 1), unknown]) {
                SourceLocation(file: "test", element: "impressions[\($0)]")
            }
        }
        #expect("\(refused)".contains("impressions[1]") && "\(refused)".contains("article"))
        #expect(try store.interactionSummary().first?.impressions == 1)  // i5 was not stored
    }

    @Test(arguments: StoreKind.available)
    func renamesAndDeletesSites(_ kind: StoreKind) throws {
        let (store, dir) = try kind.make()
        defer { withExtendedLifetime(dir) {} }
        _ = try store.importRecords(dryRun: false, seed)
        #expect(throws: SiteError.taken("travel")) { try store.renameSite("news", to: "travel", name: nil) }
        #expect(throws: SiteError.unknown("blog")) { try store.renameSite("blog", to: "b", name: nil) }
        try store.renameSite("news", to: "daily", name: "Daily News")
        #expect(try store.sites().map(\.slug) == ["daily", "travel"])
        #expect(try store.sites().first?.name == "Daily News")
        #expect(try store.article(site: "daily", externalID: "n1")?.title == "One")
        let deleted = try store.deleteSite("travel")
        #expect(deleted == SiteDeletion(articles: 1, events: 2, readers: 0))  // r1 also read the news site
        #expect(try store.sites().map(\.slug) == ["daily"])
        #expect(try store.statistics().events == 1)
        #expect(throws: SiteError.unknown("travel")) { try store.deleteSite("travel") }
    }
}
