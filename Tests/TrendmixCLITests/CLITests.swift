import Foundation
import Testing
import TrendmixTestSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized) struct CLITests {
    @Test func importReportsBadInputWithFileLineAndFieldAndExitCode65() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let db = dir.file("t.sqlite")
        let ok = try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("events       added 8"))

        try dir.write(
            "bad/events.csv", "id,site,article,type,time\nz1,news,n1,view,2024-01-01\nz2,news,n1,stare,2024-01-01\n")
        let bad = try await CLIRunner.run(["import", "canonical", dir.file("bad"), "--db", db])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("events.csv:3: field 'type' = \"stare\""))
        #expect(bad.stderr.contains("the database is unchanged"))

        let stats = try await CLIRunner.run(["stats", "--db", db, "--json"])
        #expect(stats.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect(json?["events"] as? Int == 8)
    }

    @Test func dryRunChangesNothing() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let db = dir.file("t.sqlite")
        let dry = try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db, "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        #expect((summary?["events"] as? [String: Any])?["added"] as? Int == 8)
        #expect(summary?["dry_run"] as? Bool == true)
        // The database the dry run would have created is not left behind.
        #expect(!FileManager.default.fileExists(atPath: db))
        // Into a database that holds data: a dry run of other data leaves every count as it was.
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db]).status == 0)
        let before = try await CLIRunner.run(["stats", "--db", db])
        let other = dir.file("generated")
        #expect(
            try await CLIRunner.run(["generate", "--out", other, "--articles", "6", "--sites", "2", "--events", "20"])
                .status
                == 0)
        let otherDry = try await CLIRunner.run(["import", "canonical", other, "--db", db, "--dry-run", "--json"])
        #expect(otherDry.status == 0, "\(otherDry.stderr)")
        let otherSummary = try JSONSerialization.jsonObject(with: Data(otherDry.stdout.utf8)) as? [String: Any]
        #expect(((otherSummary?["events"] as? [String: Any])?["added"] as? Int ?? 0) > 0, "\(otherDry.stdout)")
        let after = try await CLIRunner.run(["stats", "--db", db])
        #expect(before.status == 0 && after.stdout == before.stdout, "\(before.stdout)\n\(after.stdout)")
    }

    /// Issue 18, items 10 and 14 and part of 17: one site's catalogue gives full boxes from the host site, an empty
    /// box is said and exits 66, `--k` defaults to the configuration's `mix.k`, and control bytes of titles never
    /// reach the terminal.
    @Test func aSingleSiteCatalogueGivesBoxesAndAnEmptyOneIsAnError() async throws {
        let dir = try TemporaryDirectory("cli")
        try dir.write("one/sites.csv", "slug,name,kind,base_url\nml,MovieLens,movies,https://ml.example\n")
        var articles = "site,id,url,title,published_at,language,tags\n"
        for i in 0..<6 { articles += "ml,\(i),,Movie \(i)\u{1B}[31m red,2024-01-0\(i + 1),en,drama\n" }
        try dir.write("one/articles.csv", articles)
        var events = "id,site,article,reader,session,type,time,value\n"
        for r in 0..<5 {
            events +=
                "e\(r)a,ml,\(r),u\(r),,view,2024-02-01T10:00:00Z,\ne\(r)b,ml,\(r + 1),u\(r),,view,2024-02-01T11:00:00Z,\n"
        }
        try dir.write("one/events.csv", events)
        let db = dir.file("one.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("one"), "--db", db]).status == 0)
        #expect(try await CLIRunner.run(["build", "--db", db]).status == 0)
        let related = try await CLIRunner.run(["recommend", "--db", db, "--article", "1", "--explain"])
        #expect(related.status == 0, "\(related.stderr)")
        #expect(related.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 5)
        #expect(related.stdout.contains("the other sites had too little to fill the box"))
        #expect(!related.stdout.contains("\u{1B}"))
        let trending = try await CLIRunner.run(["trending", "--db", db, "--site", "ml"])
        #expect(trending.status == 0 && !trending.stdout.isEmpty, "\(trending.stderr)")
        // --k follows the configuration's mix.k when not given.
        try dir.write("k3.json", #"{"mix": {"k": 3}}"#)
        let three = try await CLIRunner.run(["trending", "--db", db, "--site", "ml", "--config", dir.file("k3.json")])
        #expect(three.stdout.split(separator: "\n").count == 3, "\(three.stdout)")
        // Nothing eligible (every article published after the moment asked for): said, and exit 66.
        let empty = try await CLIRunner.run(["trending", "--db", db, "--site", "ml", "--now", "2023-06-01"])
        #expect(empty.status == 66 && empty.stderr.contains("is empty"), "\(empty.stderr)")
    }

    /// Issue 18, item 5: a Stack Exchange folder not named as its host needs --base-url; no link is invented.
    @Test func aStackExchangeFolderNotNamedAsItsHostNeedsABaseURL() async throws {
        let dir = try TemporaryDirectory("cli")
        let mini = [
            "Posts.xml": "<posts>\n</posts>\n", "Users.xml": "<users>\n</users>\n",
            "Comments.xml": "<comments>\n</comments>\n", "Votes.xml": "<votes>\n</votes>\n",
        ]
        for (name, text) in mini { try dir.write("stackexchange-cardano/\(name)", text) }
        let folder = dir.file("stackexchange-cardano")
        let db = dir.file("t.sqlite")
        let bare = try await CLIRunner.run(["import", "stackexchange", folder, "--db", db])
        #expect(bare.status != 0 && bare.stderr.contains("--base-url"), "\(bare.stderr)")
        let slugOnly = try await CLIRunner.run([
            "import", "stackexchange", folder, "--db", db, "--site-slug", "cardano",
        ])
        #expect(slugOnly.status != 0 && slugOnly.stderr.contains("--base-url"), "\(slugOnly.stderr)")
        let named = try await CLIRunner.run([
            "import", "stackexchange", folder, "--db", db, "--base-url", "https://cardano.stackexchange.com",
        ])
        #expect(named.status == 0, "\(named.stderr)")
        let stats = try await CLIRunner.run(["stats", "--db", db, "--json"])
        #expect(stats.stdout.contains("\"cardano\""), "\(stats.stdout)")
    }

    /// Issue 18, item 6: `sites delete` needs --yes; without it nothing changes.
    @Test func sitesListsRenamesAndDeletesOnlyWithYes() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let db = dir.file("t.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db]).status == 0)
        let list = try await CLIRunner.run(["sites", "list", "--db", db])
        #expect(list.status == 0 && list.stdout.split(separator: "\n").count == 3, "\(list.stdout)")
        let dry = try await CLIRunner.run(["sites", "delete", "blog", "--db", db])
        #expect(dry.status == 1 && dry.stderr.contains("--yes"))
        #expect(try await CLIRunner.run(["sites", "list", "--db", db]).stdout == list.stdout)
        #expect(try await CLIRunner.run(["sites", "rename", "blog", "magazine", "--db", db]).status == 0)
        let gone = try await CLIRunner.run(["sites", "delete", "magazine", "--yes", "--db", db])
        #expect(gone.status == 0 && gone.stdout.contains("1 articles, 2 events"), "\(gone.stdout)")
        let unknown = try await CLIRunner.run(["sites", "delete", "magazine", "--yes", "--db", db])
        #expect(unknown.status == 66 && unknown.stderr.contains("no site 'magazine'"))
    }

    /// Issue 18, item 17: an import into a new file that is killed leaves no database behind, and the next import
    /// there removes the killed one's temporary file.
    @Test func aKilledImportIntoANewFileLeavesNoDatabase() async throws {
        let dir = try TemporaryDirectory("cli")
        let data = dir.file("gen")
        #expect(
            try await CLIRunner.run(["generate", "--out", data, "--events", "400000", "--articles", "4000"]).status == 0
        )
        let db = dir.file("new.sqlite")
        let cli = try #require(Locations.cli)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["import", "canonical", data, "--db", db]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .milliseconds(800))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        // On a machine fast enough to finish the import within the delay, there is nothing to check here.
        if process.terminationReason == .uncaughtSignal {
            #expect(!left.contains("new.sqlite"), "\(left)")
            #expect(left.contains { $0.hasPrefix(".new.sqlite.importing-") }, "\(left)")
        }
        for (name, text) in Fixtures.canonical { try dir.write("small/\(name)", text) }
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("small"), "--db", db]).status == 0)
        let after = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(after.contains("new.sqlite") && !after.contains { $0.contains(".importing-") }, "\(after)")
        #expect(try await CLIRunner.run(["stats", "--db", db]).stdout.contains("events by type"))
    }

    /// Issue 18 ("nothing deleted"): the demo replaces its own database, never another one named by --db.
    @Test func theDemoLeavesADatabaseThatIsNotAnEarlierDemosAlone() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let db = dir.file("partner.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db]).status == 0)
        let before = try await CLIRunner.run(["stats", "--db", db]).stdout
        let demo = try await CLIRunner.run([
            "demo", "--data", Locations.demoData, "--db", db, "--widgets", dir.file("widgets"),
        ])
        #expect(demo.status != 0 && demo.stderr.contains("not the demo's"), "\(demo.stderr)")
        #expect(try await CLIRunner.run(["stats", "--db", db]).stdout == before)
    }

    /// Issue 18, item 15: the command line's JSON speaks the HTTP API's vocabulary: snake_case keys, ISO 8601
    /// times, six-decimal scores, unescaped slashes.
    @Test func jsonOutputUsesTheWireVocabulary() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let db = dir.file("t.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db]).status == 0)
        #expect(try await CLIRunner.run(["build", "--db", db]).status == 0)
        let stats = try await CLIRunner.run(["stats", "--db", db, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["cross_site_readers"] as? Int == 2 && object["events_by_type"] != nil)
        #expect(object["first_event"] as? String == "2024-02-28T10:00:00.000Z")
        #expect(!stats.stdout.contains("milliseconds") && !stats.stdout.contains("Readers\""))
        let box = try await CLIRunner.run(["trending", "--db", db, "--site", "news", "--json"])
        #expect(box.status == 0, "\(box.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(box.stdout.utf8)) as? [[String: Any]])
        #expect(!items.isEmpty)
        for item in items {
            #expect(
                Set(item.keys) == [
                    "article", "title", "url", "site", "site_name", "tag", "score", "reason", "explanation",
                ])
        }
        #expect(!box.stdout.contains("\\/"), "slashes are not escaped")
        #expect(box.stdout.contains("\"score\":1,"))
    }

    @Test func quietWithoutATerminal() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let result = try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", dir.file("t.sqlite")])
        #expect(result.stderr.isEmpty)
    }

    @Test func rejectsInvalidOptionsBeforeTouchingAnything() async throws {
        let dir = try TemporaryDirectory("cli")
        let r1 = try await CLIRunner.run([
            "import", "deskdrop", "x.csv", "--db", dir.file("t.sqlite"), "--site-slug", "Bad Slug",
        ])
        #expect(r1.status != 0 && r1.stderr.contains("--site-slug"))
        let r2 = try await CLIRunner.run(["import", "tsv", "x", "--db", dir.file("t.sqlite")])
        #expect(r2.status != 0)
        let r3 = try await CLIRunner.run(["generate", "--out", dir.file("g"), "--events", "-5"])
        #expect(r3.status != 0 && r3.stderr.contains("--events"))
        let r4 = try await CLIRunner.run(["stats", "--db", dir.file("missing.sqlite")])
        #expect(r4.status != 0 && r4.stderr.contains("no database"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("t.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("missing.sqlite")))
    }

    @Test func aFailedOrDryRunImportLeavesNoNewDatabase() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        // A mistyped input path: a clear error, and no empty database left behind.
        let typo = try await CLIRunner.run(["import", "canonical", dir.file("goood"), "--db", dir.file("new.sqlite")])
        #expect(typo.status == 65 && typo.stderr.contains("goood"), "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("new.sqlite")))
        let dry = try await CLIRunner.run([
            "import", "canonical", dir.file("good"), "--db", dir.file("new.sqlite"), "--dry-run",
        ])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("new.sqlite")))
        // A database that was there before stays, whatever happens to the import.
        #expect(
            try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", dir.file("new.sqlite")]).status
                == 0)
        let again = try await CLIRunner.run(["import", "canonical", dir.file("goood"), "--db", dir.file("new.sqlite")])
        #expect(again.status == 65)
        let stats = try await CLIRunner.run(["stats", "--db", dir.file("new.sqlite")])
        #expect(stats.status == 0 && !stats.stdout.isEmpty, "\(stats.stderr)")
    }

    @Test func evaluateAndServeRefuseWhatTheyCannotUse() async throws {
        let dir = try TemporaryDirectory("cli")
        for (name, text) in Fixtures.canonical { try dir.write("good/\(name)", text) }
        let db = dir.file("t.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("good"), "--db", db]).status == 0)
        let bad: [([String], String)] = [
            (["evaluate", "--db", db, "--protocol", "weekly"], "The value 'weekly' is invalid for '--protocol"),
            (["evaluate", "--db", db, "--cut-fraction", "1.5"], "--cut-fraction"),
            (["evaluate", "--db", db, "--k", "0"], "--k"),
            // One box-size rule for the command line, widgets, HTTP and configuration files (1 to 100).
            (["trending", "--db", db, "--site", "news", "--k", "101"], "--k must be from 1 to 100"),
            (["widgets", "--db", db, "--out", dir.file("w"), "--k", "101"], "--k must be from 1 to 100"),
            (
                ["evaluate", "--db", db, "--protocol", "temporal-rolling", "--rolling-origins", "0"],
                "--rolling-origins"
            ),
            (["evaluate", "--db", db, "--protocol", "temporal-rolling", "--horizon-days", "0"], "--horizon-days"),
            (["evaluate", "--db", db, "--trendmix", "nameonly"], "name=config.json"),
            (["evaluate", "--db", db, "--python", dir.file("nope")], "--python"),
            (["evaluate", "--db", db, "--metric-check", dir.file("missing/check.json")], "the folder"),
            (["evaluate", "--db", db, "--until", "yesterday"], "The value 'yesterday' is invalid for '--until"),
            // A well-formed date out of the accepted range says what the range is.
            (["evaluate", "--db", db, "--cut", "2999-01-01"], "1900 to 2200"),
            (["recommend", "--db", db, "--article", "a1", "--now", "noon"], "The value 'noon' is invalid for '--now"),
            (["evaluate", "--db", db, "--until-fraction", "1"], "--until-fraction"),
            (["evaluate", "--db", db, "--until", "2020-01-01", "--until-fraction", "0.5"], "not both"),
            (["serve", "--db", db, "--port", "70000"], "--port"),
            (["serve", "--db", db, "--cors-origin", "news.example"], "--cors-origin"),
            (["serve", "--db", db, "--header-timeout", "-1"], "--header-timeout"),
            (["serve", "--db", db, "--body-timeout", "100000"], "--body-timeout"),
            (["serve", "--db", db, "--max-connections", "0"], "--max-connections"),
        ]
        for (arguments, mention) in bad {
            let result = try await CLIRunner.run(arguments)
            #expect(result.status != 0 && result.stderr.contains(mention), "\(arguments): \(result.stderr)")
        }
        // Eight events cannot make a session or a trending case: a clear error, exit 65.
        let none = try await CLIRunner.run([
            "evaluate", "--db", db, "--protocol", "session", "--out", dir.file("report"),
        ])
        #expect(none.status == 65 && none.stderr.contains("no protocol could run"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("report")))
        // A limit before every event leaves no data: the cut is named, exit 65, no report.
        let early = try await CLIRunner.run([
            "evaluate", "--db", db, "--until", "1990-01-01", "--out", dir.file("report"),
        ])
        #expect(early.status == 65 && early.stderr.contains("0 of"), "\(early.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("report")))
        // No model built yet: serve says so (66) instead of listening.
        let serve = try await CLIRunner.run(["serve", "--db", db, "--port", "0"])
        #expect(serve.status == 66 && serve.stderr.contains("trendmix build"), "\(serve.stderr)")
    }

    @Test func aDatabaseInAMissingFolderIsAClearError() async throws {
        let result = try await CLIRunner.run(["import", "deskdrop", "x.csv", "--db", "/nonexistent/folder/t.sqlite"])
        #expect(result.status == 74)
        #expect(result.stderr.contains("/nonexistent/folder does not exist"))
    }

    @Test func generateThenImportRoundTrips() async throws {
        let dir = try TemporaryDirectory("cli")
        let gen = try await CLIRunner.run([
            "generate", "--out", dir.file("w"), "--events", "5000", "--articles", "200", "--readers", "100", "--seed",
            "3",
        ])
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(gen.stdout.contains("5000 events"))
        let imp = try await CLIRunner.run(["import", "canonical", dir.file("w"), "--db", dir.file("w.sqlite")])
        #expect(imp.status == 0 && imp.stdout.contains("events       added 5000"))
        // --until-fraction evaluates on the events before the limit only: fewer training events, a report of its own.
        func cases(_ extra: [String]) async throws -> (Int, String) {
            let run = try await CLIRunner.run(
                [
                    "evaluate", "--db", dir.file("w.sqlite"), "--protocol", "leave-last-out", "--no-baselines",
                    "--resamples", "10", "--out", dir.file("r\(extra.count)"),
                ] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("leave-last-out: ") } ?? ""
            return (Int(line.dropFirst("leave-last-out: ".count).prefix { $0.isNumber }) ?? -1, run.stderr)
        }
        let (all, _) = try await cases([])
        let (early, log) = try await cases(["--until-fraction", "0.5"])
        #expect(all > 0 && early > 0 && early < all, "\(all) cases on all events, \(early) before the limit")
        #expect(log.contains("reading the 2500 events before"), "\(log)")
        #expect(FileManager.default.fileExists(atPath: dir.file("r2/report.html")))
    }

    @Test func demoCreatesTheDatabaseAndPrintsStatistics() async throws {
        let dir = try TemporaryDirectory("cli")
        let result = try await CLIRunner.run([
            "demo", "--data", Locations.demoData, "--db", dir.file("demo.sqlite"), "--widgets", dir.file("widgets"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("quantumcomputing"))
        #expect(result.stdout.contains("events       added 22963"))
        #expect(result.stdout.contains("A mix of what's trending on our other sites"))
        #expect(result.stdout.contains("also read:"))
    }

    @Test func buildThenAnswerFromTheStoredModel() async throws {
        let dir = try TemporaryDirectory("cli")
        let db = dir.file("demo.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", Locations.demoData, "--db", db]).status == 0)
        let early = try await CLIRunner.run(["trending", "--db", db, "--site", "beer"])
        #expect(early.status == 66 && early.stderr.contains("trendmix build"))
        let build = try await CLIRunner.run(["build", "--db", db])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("configuration "))
        let trending = try await CLIRunner.run(["trending", "--db", db, "--site", "beer", "--k", "5", "--json"])
        #expect(trending.status == 0, "\(trending.stderr)")
        let items = try JSONSerialization.jsonObject(with: Data(trending.stdout.utf8)) as? [[String: Any]]
        #expect(items?.count == 5)
        #expect(items?.allSatisfy { ($0["site"] as? String) != "beer" } == true)
        let related = try await CLIRunner.run([
            "recommend", "--db", db, "--article", "https://beer.stackexchange.com/questions/1", "--explain",
        ])
        #expect(related.status == 0 && related.stdout.contains("1. "))
        // The visit before it: a known article is taken, an unknown one is named and skipped.
        let visited = try await CLIRunner.run([
            "recommend", "--db", db, "--article", "beer:1", "--visit", "beer:2", "--visit", "記事1", "--json",
        ])
        #expect(visited.status == 0, "\(visited.stderr)")
        #expect(visited.stderr.contains("warning: --visit 記事1: no such article in the model; skipped"))
        let box = try JSONSerialization.jsonObject(with: Data(visited.stdout.utf8)) as? [[String: Any]]
        #expect(box?.isEmpty == false && !visited.stderr.contains("beer:2"))
        let unknown = try await CLIRunner.run(["recommend", "--db", db, "--site", "beer", "--article", "nope"])
        #expect(unknown.status == 66 && unknown.stderr.contains("no article 'nope' on site 'beer'"))
        try dir.write("bad.json", #"{"mix": {"k": "eight"}}"#)
        let badConfig = try await CLIRunner.run(["build", "--db", db, "--config", dir.file("bad.json")])
        #expect(badConfig.status == 78 && badConfig.stderr.contains("mix.k"))
    }

    @Test func widgetsAreWrittenFromTheStoredModel() async throws {
        let dir = try TemporaryDirectory("cli")
        let db = dir.file("demo.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", Locations.demoData, "--db", db]).status == 0)
        #expect(try await CLIRunner.run(["build", "--db", db]).status == 0)
        let bad = try await CLIRunner.run(["widgets", "--db", db, "--out", dir.file("w"), "--format", "pdf"])
        #expect(bad.status != 0 && bad.stderr.contains("--format"))
        let ok = try await CLIRunner.run([
            "widgets", "--db", db, "--out", dir.file("w"), "--site", "beer", "--site", "italian",
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("wrote 2 site widgets and 0 article widgets"))
        #expect(FileManager.default.fileExists(atPath: dir.file("w/sites/beer.html")))
        #expect(FileManager.default.fileExists(atPath: dir.file("w/index.html")))
        let unknown = try await CLIRunner.run(["widgets", "--db", db, "--out", dir.file("w"), "--site", "nope"])
        #expect(unknown.status == 66)
        #expect(FileManager.default.fileExists(atPath: dir.file("w/sites/beer.html")))  // the previous output stays
    }
}
