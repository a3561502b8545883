import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One kind of bad input: the files it writes, the importer to run, and what the error must name.
struct BadInput: CustomTestStringConvertible, Sendable {
    var name: String
    /// Files to write (relative path → bytes).
    var files: [String: [UInt8]]
    /// Which importer reads which path.
    var format: Format
    var path: String
    /// Substrings the error message must contain (file, line, field, reason).
    var mentions: [String]

    enum Format: Sendable { case canonical, stackexchange, deskdrop, movielens }

    var testDescription: String { name }

    func importer(in dir: TemporaryDirectory) -> any Importer {
        let full = dir.file(path)
        switch format {
        case .canonical: return CanonicalImporter(path: full)
        case .stackexchange:
            return StackExchangeImporter(
                folder: full, site: StackExchangeImporter.site(forFolder: "se.stackexchange.com"))
        case .deskdrop: return DeskDropImporter(path: full)
        case .movielens: return MovieLensImporter(folder: full)
        }
    }
}

private func text(_ s: String) -> [UInt8] { Array(s.utf8) }

private let eventsHeader = "id,site,article,reader,session,type,time,value\n"
private let ddHeader = "timestamp,eventType,contentId,personId,sessionId,userAgent,userRegion,userCountry\n"
private let articlesHeader = "site,id,url,title,published_at,language,tags\n"

private func events(_ rows: String) -> [String: [UInt8]] { ["events.csv": text(eventsHeader + rows)] }
private func articles(_ rows: String) -> [String: [UInt8]] { ["articles.csv": text(articlesHeader + rows)] }

/// The mini dump with one file replaced.
private func dump(_ name: String, _ content: String?) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for (file, body) in MiniDump.files where file != name { files["se/\(file)"] = text(body) }
    if let content { files["se/\(name)"] = text(content) }
    return files
}

let badInputs: [BadInput] = [
    BadInput(
        name: "quote inside an unquoted field",
        files: events("x1,news,n1,alice,,view,2024-01-01T00:00:00Z,\nx2,news,n\"1,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:3", "quote"]),
    BadInput(
        name: "quote never closed",
        files: events("x1,news,n1,alice,,view,2024-01-01,\n\"x2,news,n1,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:3", "never closed"]),
    BadInput(
        name: "text after a closing quote", files: events("\"x1\"x,news,n1,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "after the closing quote"]),
    BadInput(
        name: "too few fields", files: events("x1,news,n1,alice,,view,2024-01-01,\nx2,news,n1\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:3", "expected 8 fields, found 3"]),
    BadInput(
        name: "too many fields", files: events("x1,news,n1,alice,,view,2024-01-01,,extra\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "found 9"]),
    BadInput(
        name: "non-numeric value", files: events("x1,news,n1,alice,,rating,2024-01-01,five\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'value'", "five"]),
    BadInput(
        name: "non-numeric DeskDrop id", files: ["ui.csv": text(ddHeader + "1465413032,VIEW,12ab,1,2,,,\n")],
        format: .deskdrop, path: "ui.csv", mentions: ["ui.csv:2", "'contentId'", "12ab"]),
    BadInput(
        name: "unparseable time", files: events("x1,news,n1,alice,,view,last tuesday,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'time'", "last tuesday"]),
    BadInput(
        name: "event dated 2199 (issue 18, item 9)",
        files: events("x1,news,n1,alice,,view,2024-01-01,\nx2,news,n1,bob,,view,2199-01-01T00:00:00Z,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:3", "'time'", "2199-01-01", "in the future"]),
    BadInput(
        name: "DeskDrop event dated 2199 (issue 18, item 9)",
        files: ["ui.csv": text(ddHeader + "1465413032,VIEW,12,1,2,,,\n7258032000,VIEW,12,1,2,,,\n")],
        format: .deskdrop, path: "ui.csv", mentions: ["ui.csv:3", "'time'", "in the future"]),
    BadInput(
        name: "hexadecimal event value (issue 18, item 8)",
        files: events("x1,news,n1,alice,,rating,2024-01-01,0x1p10\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'value'", "decimal"]),
    BadInput(
        name: "event value of 1.7e308 (issue 18, item 8)",
        files: events("x1,news,n1,alice,,rating,2024-01-01,1.7e308\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'value'", "implausibly large"]),
    BadInput(
        name: "daily count of Int64.max (issue 18, item 8)",
        files: [
            "daily.csv": text(
                "site,article,day,views,votes,score,comments\nnews,n1,2024-01-01,9223372036854775807,0,0,0\n")
        ],
        format: .canonical, path: "daily.csv", mentions: ["daily.csv:2", "'views'", "implausibly large"]),
    BadInput(
        name: "event id with a DEL character (issue 18, item 8)",
        files: events("x\u{7F}1,news,n1,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'id'", "control character"]),
    BadInput(
        name: "JSON Lines id too large to read exactly (issue 18, item 8)",
        files: [
            "events.jsonl": text(
                #"{"id":123456789012345678901234,"site":"news","article":"n1","type":"view","time":"2024-01-01"}"#
                    + "\n")
        ],
        format: .canonical, path: "events.jsonl", mentions: ["events.jsonl:1", "'id'", "write it as a string"]),
    BadInput(
        name: "Stack Exchange negative ViewCount (issue 18, item 8)",
        files: dump(
            "Posts.xml",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n  <row Id=\"1\" PostTypeId=\"1\" CreationDate=\"2020-01-01T10:00:00.000\" Score=\"5\" ViewCount=\"-5\" Title=\"Ale\" Tags=\"&lt;ale&gt;\" OwnerUserId=\"1\" />\n</posts>\n"
        ),
        format: .stackexchange, path: "se", mentions: ["Posts.xml", "ViewCount", "zero or more"]),
    BadInput(
        name: "Stack Exchange attribute given twice (issue 18, item 8)",
        files: dump(
            "Posts.xml",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n  <row Id=\"1\" PostTypeId=\"1\" Id=\"2\" CreationDate=\"2020-01-01T10:00:00.000\" Score=\"5\" Title=\"Ale\" Tags=\"&lt;ale&gt;\" OwnerUserId=\"1\" />\n</posts>\n"
        ),
        format: .stackexchange, path: "se", mentions: ["Posts.xml", "given twice"]),
    BadInput(
        name: "time out of range", files: events("x1,news,n1,alice,,view,2301-01-01T00:00:00Z,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'time'", "between 1900 and 2200"]),
    BadInput(
        name: "impossible date", files: events("x1,news,n1,alice,,view,2023-02-30T00:00:00Z,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'time'"]),
    BadInput(
        name: "DeskDrop time out of range", files: ["ui.csv": text(ddHeader + "99999999999,VIEW,1,1,2,,,\n")],
        format: .deskdrop, path: "ui.csv", mentions: ["ui.csv:2", "'timestamp'"]),
    BadInput(
        name: "unknown event type", files: events("x1,news,n1,alice,,glance,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'type'", "glance", "expected one of"]),
    BadInput(
        name: "unknown DeskDrop event type",
        files: ["ui.csv": text(ddHeader + "1465413032,VIEW,1,1,2,,,\n1465413032,SHARE,1,1,2,,,\n")],
        format: .deskdrop, path: "ui.csv", mentions: ["ui.csv:3", "'eventType'", "SHARE"]),
    BadInput(
        name: "event for an unknown article",
        files: events("x1,news,n1,alice,,view,2024-01-01,\nx2,news,n404,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:3", "'article'", "n404"]),
    BadInput(
        name: "event for an unknown site", files: events("x1,gossip,n1,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'site'", "gossip"]),
    BadInput(
        name: "invalid UTF-8", files: ["articles.csv": text(articlesHeader + "news,n9,,Caf") + [0xE9] + text(",,,\n")],
        format: .canonical, path: "articles.csv", mentions: ["articles.csv:2", "'title'", "UTF-8"]),
    BadInput(
        name: "truncated XML",
        files: dump(
            "Comments.xml",
            "<?xml version=\"1.0\"?>\n<comments>\n  <row Id=\"1\" PostId=\"2\" Text=\"good\" CreationDate=\"2020-01-01T12:00:00.000\" UserId=\"2\" />\n  <row Id=\"2\" PostId=\"1\" Te"
        ),
        format: .stackexchange, path: "se", mentions: ["Comments.xml:4", "row #2", "truncated"]),
    BadInput(
        name: "XML missing its closing root tag",
        files: dump(
            "Votes.xml",
            "<votes>\n  <row Id=\"1\" PostId=\"1\" VoteTypeId=\"2\" CreationDate=\"2020-01-01T00:00:00.000\" />\n"),
        format: .stackexchange, path: "se", mentions: ["Votes.xml", "</votes>", "truncated after row #1"]),
    BadInput(
        name: "unknown XML entity",
        files: dump(
            "Posts.xml",
            "<posts><row Id=\"1\" PostTypeId=\"1\" CreationDate=\"2020-01-01T00:00:00\" Title=\"a &nbsp; b\" /></posts>"
        ),
        format: .stackexchange, path: "se", mentions: ["Posts.xml:1", "'Title'", "&nbsp;"]),
    BadInput(
        name: "non-numeric XML id",
        files: dump(
            "Posts.xml",
            "<posts>\n<row Id=\"x7\" PostTypeId=\"1\" CreationDate=\"2020-01-01T00:00:00\" Title=\"t\" />\n</posts>"),
        format: .stackexchange, path: "se", mentions: ["Posts.xml:2", "row #1 of <posts>", "'Id'", "x7"]),
    BadInput(
        name: "bad XML date",
        files: dump(
            "Votes.xml",
            "<votes>\n<row Id=\"1\" PostId=\"1\" VoteTypeId=\"2\" CreationDate=\"2020-13-01T00:00:00.000\" />\n</votes>"
        ),
        format: .stackexchange, path: "se", mentions: ["Votes.xml:2", "'CreationDate'"]),
    BadInput(
        name: "dump file missing", files: dump("Votes.xml", nil),
        format: .stackexchange, path: "se", mentions: ["Votes.xml", "missing"]),
    BadInput(
        name: "empty CSV file", files: ["events.csv": []],
        format: .canonical, path: "events.csv", mentions: ["events.csv", "empty"]),
    BadInput(
        name: "empty XML file", files: dump("Users.xml", ""),
        format: .stackexchange, path: "se", mentions: ["Users.xml", "empty"]),
    BadInput(
        name: "duplicated event id",
        files: events("x1,news,n1,alice,,view,2024-01-01,\nx1,news,n2,bob,,view,2024-01-02,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:3", "'id'", "x1", "appears twice"]),
    BadInput(
        name: "duplicated article id", files: articles("news,n8,,A,,,\nnews,n8,,B,,,\n"),
        format: .canonical, path: "articles.csv", mentions: ["articles.csv:3", "n8", "appears twice"]),
    BadInput(
        name: "duplicated site",
        files: [
            "sites.csv": text("slug,name,kind,base_url\nx,X,news,https://x.example\nx,X2,news,https://x.example\n")
        ],
        format: .canonical, path: "sites.csv", mentions: ["sites.csv:3", "listed twice"]),
    BadInput(
        name: "oversized field", files: articles("news,n9,,\(String(repeating: "x", count: 1_100_000)),,,\n"),
        format: .canonical, path: "articles.csv", mentions: ["articles.csv:2", "'title'", "byte limit"]),
    BadInput(
        name: "a directory instead of a file", files: ["folder/readme.txt": text("x")],
        format: .deskdrop, path: "folder", mentions: ["folder", "directory"]),
    BadInput(
        name: "missing file", files: [:], format: .deskdrop, path: "nope.csv", mentions: ["nope.csv", "no such file"]),
    BadInput(
        name: "missing required column", files: ["events.csv": text("id,site,article,type\nx1,news,n1,view\n")],
        format: .canonical, path: "events.csv", mentions: ["events.csv:1", "missing required column 'time'"]),
    BadInput(
        name: "unknown column",
        files: ["events.csv": text("id,site,article,type,time,colour\nx1,news,n1,view,2024-01-01,red\n")],
        format: .canonical, path: "events.csv", mentions: ["events.csv:1", "unknown column 'colour'"]),
    BadInput(
        name: "javascript URL", files: articles("news,n9,javascript:alert(1),T,,,\n"),
        format: .canonical, path: "articles.csv", mentions: ["articles.csv:2", "'url'", "http"]),
    BadInput(
        name: "negative count", files: ["daily.csv": text("site,article,day,views\nnews,n1,2024-01-01,-5\n")],
        format: .canonical, path: "daily.csv", mentions: ["daily.csv:2", "'views'", "-5"]),
    BadInput(
        name: "daily counts given twice",
        files: ["daily.csv": text("site,article,day,views\nnews,n1,2024-01-01,5\nnews,n1,2024-01-01,6\n")],
        format: .canonical, path: "daily.csv", mentions: ["daily.csv:3", "given twice"]),
    BadInput(
        name: "invalid site slug",
        files: ["sites.csv": text("slug,name,kind,base_url\nMy Site,X,news,https://x.example\n")],
        format: .canonical, path: "sites.csv", mentions: ["sites.csv:2", "'slug'", "My Site"]),
    BadInput(
        name: "empty required id", files: events(",news,n1,alice,,view,2024-01-01,\n"),
        format: .canonical, path: "events.csv", mentions: ["events.csv:2", "'id'", "required"]),
    BadInput(
        name: "malformed JSON line",
        files: [
            "events.jsonl": text(
                "{\"id\":\"x1\",\"site\":\"news\",\"article\":\"n1\",\"type\":\"view\",\"time\":\"2024-01-01\"}\n{\"id\": \"x2\",\n"
            )
        ],
        format: .canonical, path: "events.jsonl", mentions: ["events.jsonl:2", "not valid JSON"]),
    BadInput(
        name: "JSON line that is not an object", files: ["events.jsonl": text("[1,2,3]\n")],
        format: .canonical, path: "events.jsonl", mentions: ["events.jsonl:1", "JSON object"]),
    BadInput(
        name: "JSON boolean where a time belongs",
        files: [
            "events.jsonl": text(
                "{\"id\":\"x1\",\"site\":\"news\",\"article\":\"n1\",\"type\":\"view\",\"time\":true}\n")
        ],
        format: .canonical, path: "events.jsonl", mentions: ["events.jsonl:1", "'time'", "boolean"]),
    BadInput(
        name: "MovieLens rating out of range",
        files: [
            "ml/movies.csv": text("movieId,title,genres\n1,A,Drama\n"),
            "ml/ratings.csv": text("userId,movieId,rating,timestamp\n1,1,11,964982703\n"),
        ],
        format: .movielens, path: "ml", mentions: ["ratings.csv:2", "'rating'", "11"]),
    BadInput(
        name: "MovieLens 100k item with too few fields",
        files: [
            "ml/u.data": text("1\t1\t3\t881250949\n"), "ml/u.genre": text(MovieLensImporterTests.genres),
            "ml/u.item": text("1|Toy Story (1995)|01-Jan-1995\n"),
        ],
        format: .movielens, path: "ml", mentions: ["u.item:1", "expected 24 fields, found 3"]),
    BadInput(
        name: "MovieLens rating for an unknown movie",
        files: [
            "ml/movies.csv": text("movieId,title,genres\n1,A,Drama\n"),
            "ml/ratings.csv": text("userId,movieId,rating,timestamp\n1,1,4,964982703\n1,2,4,964982703\n"),
        ],
        format: .movielens, path: "ml", mentions: ["ratings.csv:3", "'article'", "2"]),
]

@Suite struct BadInputTests {
    @Test func thereAreAtLeastTwentyFiveCases() {
        #expect(badInputs.count >= 25)
    }

    @Test(arguments: badInputs)
    func givesAClearErrorAndLeavesTheDatabaseUnchanged(_ input: BadInput) throws {
        let dir = try TemporaryDirectory("bad")
        let store = try SQLiteArticleStore(path: dir.file("t.sqlite"))
        let fixture = try TemporaryDirectory("fixture")
        for (name, body) in Fixtures.canonical { try fixture.write(name, body) }
        _ = try store.run(CanonicalImporter(path: fixture.path))
        _ = try store.run(StackExchangeImporter(folder: try MiniDump.write(to: fixture)))
        for (name, bytes) in input.files { try dir.write(name, Data(bytes)) }
        let before = try store.dump()

        let error = try #require(throws: ImportError.self) { _ = try store.run(input.importer(in: dir)) }
        let message = "\(error)"
        for fragment in input.mentions {
            #expect(message.contains(fragment), "\(message) should mention \(fragment)")
        }
        #expect(try store.dump() == before)
    }

    /// The same cases on the PostgreSQL store: the same error, and nothing stored changed (issue 21).
    @Test(.enabled(if: PostgresDatabase.server != nil), arguments: badInputs)
    func givesTheSameErrorOnPostgreSQLAndLeavesItUnchanged(_ input: BadInput) throws {
        let dir = try TemporaryDirectory("bad")
        let database = try PostgresDatabase()
        defer { withExtendedLifetime(database) {} }
        let store = try PostgresStore(url: database.url)
        let fixture = try TemporaryDirectory("fixture")
        for (name, body) in Fixtures.canonical { try fixture.write(name, body) }
        _ = try store.run(CanonicalImporter(path: fixture.path))
        _ = try store.run(StackExchangeImporter(folder: try MiniDump.write(to: fixture)))
        for (name, bytes) in input.files { try dir.write(name, Data(bytes)) }
        let before = try store.dump()

        let error = try #require(throws: ImportError.self) { _ = try store.run(input.importer(in: dir)) }
        let message = "\(error)"
        for fragment in input.mentions {
            #expect(message.contains(fragment), "\(message) should mention \(fragment)")
        }
        #expect(try store.dump() == before)
    }
}

/// Issue 18, item 17 (and 8's skipped files): inputs that are not plain files get a clear error, never a hang.
@Suite struct UnusualInputTests {
    func importError(_ path: String) throws -> String {
        let store = try SQLiteArticleStore()
        let error = try #require(throws: ImportError.self) { _ = try store.run(CanonicalImporter(path: path)) }
        #expect(try store.statistics().sites.isEmpty)
        return "\(error)"
    }

    @Test func aNamedPipeWithNoWriterIsRefusedNotWaitedOn() throws {
        let dir = try TemporaryDirectory("fifo")
        for (name, text) in Fixtures.canonical where name != "events.csv" { try dir.write("in/\(name)", text) }
        #expect(mkfifo(dir.file("in/events.csv"), 0o600) == 0)
        #expect(try importError(dir.file("in")).contains("named pipe"))
    }

    @Test func aLoopOfSymbolicLinksIsNamedAsSuch() throws {
        let dir = try TemporaryDirectory("loop")
        try FileManager.default.createSymbolicLink(atPath: dir.file("a"), withDestinationPath: dir.file("b"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("b"), withDestinationPath: dir.file("a"))
        #expect(try importError(dir.file("a")).contains("loop of symbolic links"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("dangling"), withDestinationPath: dir.file("gone"))
        #expect(try importError(dir.file("dangling")).contains("does not exist"))
    }

    @Test(arguments: ["Events.csv", "events.csv.gz", "ARTICLES.jsonl"])
    func aFileThatWouldBeSkippedStopsTheImport(name: String) throws {
        let dir = try TemporaryDirectory("skipped")
        for (file, text) in Fixtures.canonical where file != "events.csv" { try dir.write("in/\(file)", text) }
        try dir.write("in/\(name)", Fixtures.canonical["events.csv"] ?? "")
        let message = try importError(dir.file("in"))
        #expect(message.contains(name) && message.contains("not read"), "\(message)")
    }
}

/// Issue 18, item 8: what the rules keep and how.
@Suite struct InputRuleTests {
    func store(_ files: [String: String]) throws -> SQLiteArticleStore {
        let dir = try TemporaryDirectory("rules")
        for (name, text) in files { try dir.write(name, text) }
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.path))
        return store
    }

    @Test func jsonLinesIdsKeepEveryDigit() throws {
        var files = Fixtures.canonical
        files["events.csv"] = nil
        files["events.jsonl"] =
            [
                #"{"id":12345678901234567891,"site":"news","article":"n1","type":"view","time":"2024-01-01"}"#,
                #"{"id":9007199254740993,"site":"news","article":"n1","type":"view","time":"2024-01-01"}"#,
                #"{"id":9007199254740992,"site":"news","article":"n1","type":"view","time":"2024-01-01"}"#,
            ].joined(separator: "\n") + "\n"
        var ids: Set<String> = []
        try store(files).forEachEvent(from: nil, to: nil) { ids.insert($0.sourceID) }
        #expect(ids == ["12345678901234567891", "9007199254740993", "9007199254740992"])
    }

    @Test func composedAndDecomposedIdsAreOneRecord() throws {
        var files = Fixtures.canonical
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        files["articles.csv", default: ""] += "news,\(composed),,Caf\u{E9},2024-01-01,fr,\n"
        files["events.csv", default: ""] += "z1,news,\(decomposed),alice,,view,2024-02-01,\n"
        let store = try store(files)
        #expect(try store.article(site: "news", externalID: composed) != nil)
        var articles: [String] = []
        try store.forEachEvent(from: nil, to: nil) { if $0.sourceID == "z1" { articles.append($0.article) } }
        #expect(articles.map { Array($0.utf8) } == [Array(composed.utf8)])
    }

    @Test func controlCharactersInTitlesAreRemovedButLineBreaksAndTabsKept() throws {
        var files = Fixtures.canonical
        files["articles.csv", default: ""] += "news,ctl,,\"Bad\u{0}\u{1B}[31m red\ttab\",2024-01-01,en,\n"
        let title = try store(files).article(site: "news", externalID: "ctl")?.title
        #expect(title == "Bad[31m red\ttab")
    }

    /// Issue 18, item 13: URLs are stored in one spelling, so one page linked two ways is one URL.
    @Test func urlsAreStoredNormalised() throws {
        var files = Fixtures.canonical
        files["articles.csv", default: ""] +=
            "news,u1,HTTPS://News.Example.com/a/?utm_source=mail&id=3#top,U,2024-01-01,en,\n"
        let store = try store(files)
        #expect(try store.article(site: "news", externalID: "u1")?.url == "https://news.example.com/a?id=3")
        #expect(try store.article(site: "news", externalID: "n1")?.url == "https://news.example.com/n1")
    }
}
