import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import Trendmix

/// Every file under `folder`, relative path → bytes.
func contents(of folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: folder) else { return out }
    for case let path as String in walker {
        var isDirectory: ObjCBool = false
        _ = fm.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
        if !isDirectory.boolValue { out[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)) }
    }
    return out
}

@Suite struct WidgetJobTests {
    static let now = Timestamp(milliseconds: 1_709_294_400_000)  // 2024-03-01T12:00:00Z

    static func engine() async throws -> RecommendationEngine {
        let dir = try TemporaryDirectory("fixture")
        for (name, text) in Fixtures.canonical { try dir.write(name, text) }
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.path))
        var engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration(), now: now)
        // The wall-clock build time is the only input that changes between runs; pin it for golden files.
        engine = RecommendationEngine(
            model: engine.model, configuration: engine.configuration,
            stamp: ModelStamp(
                builtFor: engine.stamp.builtFor, computedAt: now, configuration: engine.stamp.configuration,
                configurationHash: engine.stamp.configurationHash, windowStart: nil, windowEnd: nil))
        return engine
    }

    static func options() -> WidgetJob.Options {
        var o = WidgetJob.Options()
        o.perArticle = true
        o.k = 4
        o.now = now
        return o
    }

    @Test func matchesTheGoldenFiles() async throws {
        let out = try TemporaryDirectory("widgets")
        let summary = try WidgetJob(engine: try await Self.engine(), options: Self.options()).run(to: out.file("w"))
        #expect(summary.siteWidgets == 3 && summary.articleWidgets == 5 && summary.empty == 0)
        let golden = Locations.packageRoot + "/Tests/Golden/widgets"
        let shard = WidgetJob.shard("n1")
        let files = [
            "sites/news.json", "sites/news.html", "articles/news/\(shard)/n1.json", "articles/news/\(shard)/n1.html",
            "widgets.jsonl",
        ]
        for file in files {
            let produced = try Data(contentsOf: URL(fileURLWithPath: out.file("w/" + file)))
            let expectedPath = golden + "/" + file.replacingOccurrences(of: "/\(shard)/", with: "/")
            if ProcessInfo.processInfo.environment["TRENDMIX_UPDATE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(
                    atPath: (expectedPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try produced.write(to: URL(fileURLWithPath: expectedPath))
            }
            let expected = try Data(contentsOf: URL(fileURLWithPath: expectedPath))
            #expect(
                produced == expected, "\(file) differs from Tests/Golden/widgets (TRENDMIX_UPDATE_GOLDEN=1 rewrites)")
        }
    }

    @Test func theSameInputAndNowGiveByteIdenticalFiles() async throws {
        let out = try TemporaryDirectory("widgets")
        let engine = try await Self.engine()
        _ = try WidgetJob(engine: engine, options: Self.options()).run(to: out.file("a"))
        _ = try WidgetJob(engine: try await Self.engine(), options: Self.options()).run(to: out.file("b"))
        let a = try contents(of: out.file("a"))
        // JSON and HTML for 3 site and 5 article widgets, widgets.jsonl, index.html and the marker.
        let files = 3 * 2 + 5 * 2 + 3
        #expect(a.count == files)
        let b = try contents(of: out.file("b"))
        #expect(a == b)
    }

    @Test func aFailureMidwayLeavesThePreviousOutputIntact() async throws {
        let out = try TemporaryDirectory("widgets")
        let engine = try await Self.engine()
        _ = try WidgetJob(engine: engine, options: Self.options()).run(to: out.file("w"))
        let before = try contents(of: out.file("w"))
        var failing = Self.options()
        failing.now = Timestamp(milliseconds: Self.now.milliseconds + 86_400_000)
        failing.failAfter = 5  // after the 3 site widgets and 2 article widgets
        #expect(throws: WidgetError.injectedFailure) {
            try WidgetJob(engine: engine, options: failing).run(to: out.file("w"))
        }
        #expect(try contents(of: out.file("w")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0 != "w" }
        #expect(leftovers.isEmpty, "staging folders left behind: \(leftovers)")
    }

    @Test func refusesToReplaceAFile() async throws {
        let out = try TemporaryDirectory("widgets")
        try out.write("w", "not a folder")
        let engine = try await Self.engine()
        #expect(throws: WidgetError.notAFolder(out.file("w"))) {
            try WidgetJob(engine: engine, options: Self.options()).run(to: out.file("w"))
        }
        #expect(try String(contentsOfFile: out.file("w"), encoding: .utf8) == "not a folder")
    }

    @Test func everyPerArticleWidgetIsFilledFromOtherSitesFirst() async throws {
        let out = try TemporaryDirectory("widgets")
        let engine = try await Self.engine()
        _ = try WidgetJob(engine: engine, options: Self.options()).run(to: out.file("w"))
        let lines = try String(contentsOfFile: out.file("w/widgets.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        for line in lines {
            let w = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let host = (w["host"] as? [String: Any])?["slug"] as? String
            let items = try #require(w["items"] as? [[String: Any]])
            #expect(items.count == 4)
            // The other sites' items first; the host's own only after them, each saying why (issue 18, item 10).
            let sites = items.map { $0["site"] as? String }
            let firstOwn = sites.firstIndex(of: host) ?? sites.count
            #expect(firstOwn > 0)
            #expect(sites[firstOwn...].allSatisfy { $0 == host })
            #expect(
                items[firstOwn...].allSatisfy {
                    ($0["explanation"] as? String)?.contains("the other sites had too little") == true
                })
            #expect(w["schema"] as? String == "trendmix-widget/1")
        }
    }

    @Test func fileNamesAreSafe() {
        #expect(WidgetJob.fileName("a1") == "a1")
        #expect(WidgetJob.fileName("../etc/passwd") == "..%2Fetc%2Fpasswd")
        #expect(WidgetJob.fileName("..") == "%2E%2E%")
        #expect(WidgetJob.fileName("é x") == "%C3%A9%20x")
        #expect(WidgetJob.fileName("Ab-_.9zZ") == "Ab-_.9zZ")
        #expect(WidgetJob.fileName("a/b@[`{") == "a%2Fb%40%5B%60%7B")
        #expect(WidgetJob.fileName(".") == "%2E%")
        #expect(WidgetJob.fileName("") == "%")
        #expect(WidgetJob.shard("a1").count == 2)
    }
}

@Suite struct WidgetRendererTests {
    static func hostile() -> Widget {
        let item = RecommendedItem(
            site: "blog\"><script>x</script>", siteName: "Evil & <Co>", article: "a1",
            title: "<script>alert('pwned')</script>", url: "javascript:alert(1)",
            tag: "\"><img src=x onerror=alert(1)>", score: 1.5, reason: "trending",
            explanation: "line\nbreak \"quoted\" \u{1}")
        let safe = RecommendedItem(
            site: "travel", siteName: "Travel", article: "t1", title: "Fish & Chips",
            url: "https://t.example/a?b=1&c=\"2\"",
            tag: nil, score: 0.25, reason: "tags", explanation: "")
        return Widget(
            kind: .site, host: Site(slug: "news", name: "News", kind: "news", baseURL: "https://news.example"),
            article: nil,
            generatedAt: Timestamp(milliseconds: 0), modelBuiltFor: Timestamp(milliseconds: 0), configurationHash: "0",
            items: [item, safe])
    }

    @Test func escapesHostileTitlesTagsAndURLsInHTML() {
        let html = WidgetRenderer.html(Self.hostile())
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"))
        #expect(html.contains("<span class=\"trendmix-title\">&lt;script&gt;"))  // no link for javascript:
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("href=\"https://t.example/a?b=1&amp;c=&quot;2&quot;\">Fish &amp; Chips</a>"))
        #expect(html.contains("Evil &amp; &lt;Co&gt;"))
    }

    @Test func everyItemNamesItsArticleAndPosition() {
        var widget = Self.hostile()
        widget.items[0].article = "記事\"1"
        let html = WidgetRenderer.html(widget)
        #expect(html.contains("data-article=\"記事&quot;1\" data-position=\"1\""))
        #expect(html.contains("data-site=\"travel\" data-article=\"t1\" data-position=\"2\""))
    }

    @Test func escapesJSONStrings() async throws {
        let json = WidgetRenderer.json(Self.hostile())
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(parsed["items"] as? [[String: Any]])
        #expect(items[0]["title"] as? String == "<script>alert('pwned')</script>")
        #expect(items[0]["explanation"] as? String == "line\nbreak \"quoted\" \u{1}")
        #expect(items[0]["score"] as? Double == 1.5)
        #expect(json.contains("\\u0001"))
    }

    @Test(arguments: [
        (0.0, "0"), (1.5, "1.5"), (-0.000005, "-0.000005"), (0.0000004, "0"), (-0.0000004, "0"),
        (123.4567891, "123.456789"), (-2.0, "-2"), (0.65, "0.65"), (Double.nan, "0"), (1e300, "0"),
    ])
    func numbersHaveAtMostSixDecimals(value: Double, text: String) {
        #expect(WidgetRenderer.number(value) == text)
    }

    @Test func quotesLineSeparatorsAndMultibyteText() {
        // Legal in JavaScript strings since ES2019, and what JSONEncoder writes: copied as UTF-8.
        #expect(WidgetRenderer.quote("a\u{2028}b\u{2029}") == "\"a\u{2028}b\u{2029}\"")
        #expect(WidgetRenderer.quote("\u{8}\u{C}\u{1B}") == "\"\\b\\f\\u001b\"")
        #expect(WidgetRenderer.quote("Café — ok") == "\"Café — ok\"")
        #expect(WidgetRenderer.escape("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
    }

    @Test func onlyHTTPURLsBecomeLinks() {
        #expect(WidgetRenderer.safeURL("https://a.example/x") != nil)
        #expect(WidgetRenderer.safeURL("HTTP://A.EXAMPLE") != nil)
        #expect(WidgetRenderer.safeURL("hTtPs://ja.example/東京?q=ü") != nil)
        for bad in [
            "javascript:alert(1)", "data:text/html,x", "//evil.example", "/relative", "https://a b", "ftp://x", "",
            "http:/", "https:", "http:\u{0F}\u{0F}x", "https://x\u{7F}", "https://x\ty", "\u{212A}https://x",
            "httpſ://x", "https\u{1A}//x", " https://x",
        ] {
            #expect(WidgetRenderer.safeURL(bad) == nil, "\(bad)")
        }
    }
}

/// Issue 18, item 11: the heading says what the box holds.
@Suite struct WidgetHeadingTests {
    static func item(_ site: String, _ reason: String) -> RecommendedItem {
        RecommendedItem(
            site: site, siteName: site, article: "a", title: nil, url: nil, tag: nil, score: 1, reason: reason,
            explanation: "")
    }

    @Test(arguments: [
        (
            Widget.Kind.article, [("blog", "cooccurrence"), ("blog", "trending")],
            "Readers of this also read, on our other sites"
        ),
        (.article, [("blog", "trending"), ("blog", "newest")], "A mix of what's trending on our other sites"),
        (.article, [("blog", "tags")], "Related articles, on our other sites"),
        (.article, [("news", "cooccurrence")], "Readers of this also read, on this site"),
        (.article, [("blog", "session"), ("news", "trending")], "Readers of this also read"),
        (.site, [("blog", "trending"), ("travel", "newest")], "A mix of what's trending on our other sites"),
        (.site, [("blog", "newest")], "New on our other sites"),
        (.site, [("news", "trending")], "What's trending on this site"),
        (.site, [("blog", "trending"), ("news", "trending")], "A mix of what's trending on our sites"),
        (.site, [("blog", "personalized")], "Picked for you, on our other sites"),
    ])
    func saysWhatTheBoxHolds(kind: Widget.Kind, items: [(String, String)], heading: String) {
        #expect(Widget.heading(kind: kind, items: items.map { Self.item($0.0, $0.1) }, host: "news") == heading)
    }
}
