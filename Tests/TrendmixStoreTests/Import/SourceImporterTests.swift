import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

/// A miniature Stack Exchange dump whose expected counts are worked out by hand in the comments.
enum MiniDump {
    static let files: [String: String] = [
        "Users.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <users>
          <row Id="-1" DisplayName="Community" AccountId="-1" />
          <row Id="1" DisplayName="Ann" AccountId="100" />
          <row Id="2" DisplayName="Ben" AccountId="200" />
          <row Id="3" DisplayName="Old" />
        </users>
        """,
        "Posts.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <posts>
          <row Id="1" PostTypeId="1" CreationDate="2020-01-01T10:00:00.000" Score="5" ViewCount="100" Title="Ale &amp; lager?" Tags="&lt;ale&gt;&lt;lager&gt;" OwnerUserId="1" />
          <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T11:00:00.000" Score="2" OwnerUserId="2" />
          <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2020-01-02T11:00:00.000" Score="0" />
          <row Id="4" PostTypeId="1" CreationDate="2020-01-03T09:00:00.000" Score="1" ViewCount="7" Title="Stout" Tags="|stout|" OwnerUserId="-1" />
          <row Id="5" PostTypeId="4" CreationDate="2020-01-03T09:00:00.000" Score="0" />
          <row Id="6" PostTypeId="2" ParentId="99" CreationDate="2020-01-04T09:00:00.000" OwnerUserId="1" />
          <row Id="7" PostTypeId="2" ParentId="4" CreationDate="2020-01-04T10:00:00.000" OwnerUserId="3" />
        </posts>
        """,
        // Comments: c1 by Ben on the answer (→ question 1), c2 anonymous (→ daily), c3 on the tag wiki (skipped).
        "Comments.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <comments>
          <row Id="1" PostId="2" Text="good" CreationDate="2020-01-01T12:00:00.000" UserId="2" />
          <row Id="2" PostId="1" Text="anon" CreationDate="2020-01-01T13:00:00.000" UserDisplayName="x" />
          <row Id="3" PostId="5" Text="wiki" CreationDate="2020-01-01T13:00:00.000" UserId="1" />
        </comments>
        """,
        // Votes: two up and one down on day 1 for question 1 (one on its answer), a favourite by Ann on
        // question 4, an accept (skipped), a vote on the tag wiki (skipped).
        "Votes.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <votes>
          <row Id="1" PostId="1" VoteTypeId="2" CreationDate="2020-01-01T00:00:00.000" />
          <row Id="2" PostId="2" VoteTypeId="2" CreationDate="2020-01-01T00:00:00.000" />
          <row Id="3" PostId="1" VoteTypeId="3" CreationDate="2020-01-01T00:00:00.000" />
          <row Id="4" PostId="4" VoteTypeId="5" UserId="1" CreationDate="2020-01-05T00:00:00.000" />
          <row Id="5" PostId="2" VoteTypeId="1" CreationDate="2020-01-02T00:00:00.000" />
          <row Id="6" PostId="5" VoteTypeId="2" CreationDate="2020-01-02T00:00:00.000" />
        </votes>
        """,
        "Tags.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <tags>
          <row Id="1" TagName="ale" Count="1" />
        </tags>
        """,
        "PostLinks.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <postlinks>
          <row Id="1" PostId="4" RelatedPostId="1" LinkTypeId="1" />
          <row Id="2" PostId="4" RelatedPostId="5" LinkTypeId="1" />
        </postlinks>
        """,
    ]

    static func write(to dir: TemporaryDirectory, folder: String = "mini.stackexchange.com") throws -> String {
        for (name, text) in files { try dir.write("\(folder)/\(name)", text) }
        return dir.file(folder)
    }
}

@Suite struct StackExchangeImporterTests {
    @Test func importsTheMiniatureDumpWithHandCheckedCounts() throws {
        let dir = try TemporaryDirectory("se")
        let store = try SQLiteArticleStore()
        let summary = try store.run(StackExchangeImporter(folder: try MiniDump.write(to: dir)))
        #expect(
            try store.sites() == [
                Site(slug: "mini", name: "Mini Stack Exchange", kind: "qa", baseURL: "https://mini.stackexchange.com")
            ])
        #expect(summary.articles.added == 2)
        // Events: q1 post (Ann), a2 answer (Ben), a7 answer (Old, site-local reader), c1 comment (Ben),
        // v4 favourite (Ann). Not: q4 (Community), a3 (no owner), a6 (missing question).
        #expect(summary.events.added == 5)
        #expect(summary.readers.added == 3)
        // Daily: question 1 on 2020-01-01 (3 votes, score +1, 1 anonymous comment).
        #expect(summary.daily.added == 1)
        #expect(summary.links.added == 1)
        #expect(summary.skipped["post events by the Community bot"] == 1)
        #expect(summary.skipped["answer events by deleted or anonymous users"] == 1)
        #expect(summary.skipped["answers to a question missing from the dump"] == 1)
        #expect(summary.skipped["votes of other types (accept, bounty, moderation)"] == 1)
        #expect(summary.skipped["votes on posts that are not questions or answers"] == 1)
        #expect(summary.skipped["comments on posts that are not questions or answers"] == 1)
        #expect(summary.skipped["links to posts missing from the dump"] == 1)

        let q1 = try #require(try store.article(site: "mini", externalID: "1"))
        #expect(q1.title == "Ale & lager?" && q1.tags == ["ale", "lager"] && q1.viewCount == 100 && q1.score == 5)
        #expect(q1.url == "https://mini.stackexchange.com/questions/1")
        #expect(try store.article(site: "mini", externalID: "4")?.tags == ["stout"])
        let daily = try store.dailyEngagement(site: "mini")
        #expect(daily == [DailyEngagement(site: "mini", article: "1", day: 18_262, votes: 3, score: 1, comments: 1)])

        var readers: [String: String] = [:]
        try store.forEachEvent(from: nil, to: nil) { readers[$0.sourceID] = $0.reader }
        #expect(readers == ["q1": "se:100", "a2": "se:200", "a7": "se:mini:3", "c1": "se:200", "v4": "se:100"])
    }

    @Test func sharesReadersAcrossSitesByAccountId() throws {
        let dir = try TemporaryDirectory("se")
        let store = try SQLiteArticleStore()
        _ = try store.run(StackExchangeImporter(folder: try MiniDump.write(to: dir, folder: "one.stackexchange.com")))
        _ = try store.run(StackExchangeImporter(folder: try MiniDump.write(to: dir, folder: "two.stackexchange.com")))
        let stats = try store.statistics()
        // Ann and Ben are the same people on both sites; "Old" has no AccountId and stays site-local.
        #expect(stats.readers == 4)
        #expect(stats.crossSiteReaders == 2)
    }
}

/// Issue 18, item 5: the site and its links come only from a real host name or from the options.
@Suite struct StackExchangeSiteTests {
    @Test(arguments: [
        ("beer.stackexchange.com", "beer", "https://beer.stackexchange.com"),
        ("/dumps/Beer.Meta.StackExchange.com", "beer.meta", "https://beer.meta.stackexchange.com"),
        ("meta.stackexchange.com", "meta", "https://meta.stackexchange.com"),
        ("superuser.com", "superuser", "https://superuser.com"),
        ("mathoverflow.net", "mathoverflow", "https://mathoverflow.net"),
    ])
    func aPublicDumpsHostNameGivesTheSite(folder: String, slug: String, url: String) throws {
        let site = try #require(StackExchangeImporter.site(forFolder: folder))
        #expect(site.slug == slug && site.baseURL == url)
    }

    @Test(arguments: [
        "stackexchange-cardano", "My Dump (2024)!", "/data/sub/..", "beer", "beer.meta", "..", ".", "",
        "-bad.stackexchange.com", "a..b.com", "beer.stackexchange.org", "x.y.example.com",
    ])
    func anyOtherNameGivesNoSiteAndTheImportSaysWhatToDo(folder: String) throws {
        #expect(StackExchangeImporter.site(forFolder: folder) == nil)
        let dir = try TemporaryDirectory("se")
        let path = try MiniDump.write(to: dir, folder: "stackexchange-cardano")
        let store = try SQLiteArticleStore()
        #expect {
            _ = try store.run(StackExchangeImporter(folder: path))
        } throws: { error in
            "\(error)".contains("--base-url") && "\(error)".contains("beer.stackexchange.com")
        }
        #expect(try store.statistics().sites.isEmpty)
    }
}

@Suite struct DeskDropImporterTests {
    static let header = "timestamp,eventType,contentId,personId,sessionId,userAgent,userRegion,userCountry\n"

    @Test func importsRowsAsEventsWithRowNumberIds() throws {
        let dir = try TemporaryDirectory("dd")
        let path = try dir.write(
            "users_interactions.csv",
            Self.header + """
                1465413032,VIEW,-3499919498720038879,-8845298781299428018,1264196770339959068,,,
                1465412560,VIEW,8890720798209849691,-1032019229384696495,3621737643587579081,"Mozilla/5.0 (X11; Linux), like Gecko",NY,US
                1465412560,VIEW,8890720798209849691,-1032019229384696495,3621737643587579081,"Mozilla/5.0 (X11; Linux), like Gecko",NY,US
                1465416190,COMMENT CREATED,310515487419366995,-1130272294246983140,2631864456530402479,,,
                1465413895,FOLLOW,310515487419366995,344280948527967603,-3167637573980064150,,,
                1465413900,LIKE,310515487419366995,344280948527967603,-3167637573980064150,,,
                1465413901,BOOKMARK,310515487419366995,344280948527967603,-3167637573980064150,,,

                """)
        let store = try SQLiteArticleStore()
        let summary = try store.run(DeskDropImporter(path: path))
        #expect(summary.events.added == 7)  // the repeated row is a second real event
        #expect(summary.articles.added == 3)
        #expect(summary.readers.added == 4)
        let stats = try store.statistics()
        #expect(stats.eventsByType == ["view": 3, "comment": 1, "follow": 1, "like": 1, "bookmark": 1])
        var first: EngagementEvent?
        try store.forEachEvent(from: nil, to: nil) { if $0.sourceID == "row:1" { first = $0 } }
        #expect(first?.reader == "deskdrop:-8845298781299428018")
        #expect(first?.session == "1264196770339959068")
        #expect(first?.time == Timestamp(seconds: 1_465_413_032))
        #expect(try store.run(DeskDropImporter(path: path)).changedNothing)
    }
}

@Suite struct MovieLensImporterTests {
    static let genres =
        ([
            "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
            "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
            "Western",
        ].enumerated().map { "\($0.element)|\($0.offset)" }).joined(separator: "\n") + "\n\n"

    /// Issue 18, item 4: MovieLens latest then 100k into one site would overwrite titles and drop ratings; the
    /// second import is refused whole, and under its own slug its readers are its own.
    @Test func aSecondMovieLensVariantIsRefusedUnlessItGetsItsOwnSite() throws {
        let dir = try TemporaryDirectory("ml-two")
        try dir.write(
            "latest/movies.csv", "movieId,title,genres\n1,Toy Story (1995),Animation\n2,Jumanji (1995),Adventure\n")
        try dir.write("latest/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,964982703\n1,2,4,964982703\n")
        try dir.write("k100/u.genre", Self.genres)
        try dir.write(
            "k100/u.item",
            "1|Toy Story (1995)|01-Jan-1995|||0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                + "2|GoldenEye (1995)|01-Jan-1995|||0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n")
        try dir.write("k100/u.data", "1\t1\t3\t881250949\n1\t2\t5\t881250950\n")
        let store = try SQLiteArticleStore()
        _ = try store.run(MovieLensImporter(folder: dir.file("latest")))
        let before = try store.dump()
        #expect {
            _ = try store.run(MovieLensImporter(folder: dir.file("k100")))
        } throws: { error in
            "\(error)".contains("--site-slug") && "\(error)".contains("movielens-latest")
        }
        #expect(try store.dump() == before)
        #expect(try store.article(site: "movielens", externalID: "2")?.title == "Jumanji (1995)")
        // Its own site: both kept whole, and user 1 of one data set is not user 1 of the other.
        let own = Site(slug: "ml100k", name: "MovieLens 100k", kind: "catalog", baseURL: "https://movielens.org")
        let summary = try store.run(MovieLensImporter(folder: dir.file("k100"), site: own))
        #expect(summary.events.added == 2)
        #expect(try store.article(site: "ml100k", externalID: "2")?.title == "GoldenEye (1995)")
        let stats = try store.statistics()
        #expect(stats.events == 4 && stats.readers == 2 && stats.crossSiteReaders == 0)
        // Importing latest again into its site still changes nothing.
        #expect(try store.run(MovieLensImporter(folder: dir.file("latest"))).changedNothing)
    }

    @Test func imports100kWithLatin1TitlesAndGenreFlags() throws {
        let dir = try TemporaryDirectory("ml100k")
        try dir.write("ml/u.genre", Self.genres)
        var item = Data(
            "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                .utf8)
        // "Misérables" in ISO 8859-1: é is the single byte 0xE9.
        item.append(
            contentsOf: Array("2|Mis".utf8) + [0xE9]
                + Array("rables, Les (1995)|15-Dec-1995||http://us.imdb.com/M/title-exact?Mis".utf8) + [0xE9]
                + Array("rables|0|0|0|0|0|0|0|0|1|0|0|0|0|0|1|0|0|1|0\n".utf8))
        item.append(contentsOf: Array("3|Unknown (1996)||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n".utf8))
        try dir.write("ml/u.item", item)
        try dir.write(
            "ml/u.data", "196\t1\t3\t881250949\n186\t2\t5\t891717742\n196\t2\t4\t881251000\n22\t3\t1\t878887116\n")
        let store = try SQLiteArticleStore()
        let summary = try store.run(MovieLensImporter(folder: dir.file("ml")))
        #expect(summary.articles.added == 3)
        #expect(summary.events.added == 4)
        #expect(summary.readers.added == 3)
        let toy = try #require(try store.article(site: "movielens", externalID: "1"))
        #expect(toy.tags == ["animation", "children's", "comedy"])
        #expect(toy.publishedAt == TimestampParser.parse("1995-01-01"))
        #expect(toy.url == "http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)")
        let mis = try #require(try store.article(site: "movielens", externalID: "2"))
        #expect(mis.title == "Misérables, Les (1995)")
        #expect(mis.url == "http://us.imdb.com/M/title-exact?Misérables")
        #expect(mis.tags == ["drama", "romance", "war"])
        #expect(try store.article(site: "movielens", externalID: "3")?.tags == ["unknown"])
        var stars: [String: Double] = [:]
        try store.forEachEvent(from: nil, to: nil) { stars[$0.sourceID] = $0.value }
        #expect(stars == ["u196:m1": 3, "u186:m2": 5, "u196:m2": 4, "u22:m3": 1])
    }

    @Test func importsLatestWithGenresAndUserTags() throws {
        let dir = try TemporaryDirectory("mllatest")
        try dir.write(
            "ml/movies.csv",
            """
            movieId,title,genres
            1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
            2,"American President, The (1995)",Comedy|Drama|Romance
            3,Empty (2020),(no genres listed)

            """)
        try dir.write(
            "ml/ratings.csv",
            "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,4.5,964981247\n2,1,0.5,1445714835\n")
        try dir.write(
            "ml/tags.csv",
            "userId,movieId,tag,timestamp\n2,1,pixar,1445714994\n3,1,Pixar,1445714996\n2,3,\"funny, dark\",1445715000\n"
        )
        let store = try SQLiteArticleStore()
        let summary = try store.run(MovieLensImporter(folder: dir.file("ml")))
        #expect(summary.articles.added == 3 && summary.events.added == 3 && summary.readers.added == 2)
        #expect(
            try store.article(site: "movielens", externalID: "1")?.tags == [
                "adventure", "animation", "children", "comedy", "fantasy", "pixar",
            ])
        #expect(try store.article(site: "movielens", externalID: "2")?.title == "American President, The (1995)")
        #expect(try store.article(site: "movielens", externalID: "3")?.tags == ["funny, dark"])
        #expect(try store.run(MovieLensImporter(folder: dir.file("ml"))).changedNothing)
    }
}
