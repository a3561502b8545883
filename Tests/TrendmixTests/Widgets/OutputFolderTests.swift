import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import Trendmix

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, items 1 to 3: the job replaces only a folder it wrote, cleans up after interrupted runs, and writes
/// every id, however long, or says why it could not.
@Suite struct OutputFolderTests {
    func run(to out: String, database: String? = nil, cancelled: Bool = false) async throws -> WidgetJob.Summary {
        var options = WidgetJobTests.options()
        options.database = database
        if cancelled { options.isCancelled = { true } }
        return try WidgetJob(engine: try await WidgetJobTests.engine(), options: options).run(to: out)
    }

    @Test func refusesAFolderHoldingFilesItDidNotWrite() async throws {
        let dir = try TemporaryDirectory("widgets")
        try dir.write("site/index.php", "<?php echo 1;")
        try dir.write("site/img/logo.png", "png")
        let before = try contents(of: dir.file("site"))
        await #expect {
            try await run(to: dir.file("site"))
        } throws: { error in
            guard case WidgetError.unsafeOutput(_, let reason) = error else { return false }
            return reason.contains("img, index.php") && reason.contains("did not write")
        }
        #expect(try contents(of: dir.file("site")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["site"])
    }

    @Test func refusesTheFolderHoldingItsDatabaseEvenWhenItWroteIt() async throws {
        let dir = try TemporaryDirectory("widgets")
        _ = try await run(to: dir.file("site"))
        try dir.write("site/partner.sqlite", "SQLite format 3")
        await #expect {
            try await run(to: dir.file("site"), database: dir.file("site/partner.sqlite"))
        } throws: { error in
            guard case WidgetError.unsafeOutput(_, let reason) = error else { return false }
            return reason.contains("holds the database")
        }
        #expect(FileManager.default.fileExists(atPath: dir.file("site/partner.sqlite")))
        // Named through a symbolic link and a `..`, it is the same folder.
        try FileManager.default.createSymbolicLink(atPath: dir.file("link"), withDestinationPath: dir.file("site"))
        await #expect(throws: WidgetError.self) {
            try await run(to: dir.file("link/../site"), database: dir.file("link/partner.sqlite"))
        }
    }

    @Test(arguments: [".", "./", "/", "..", "~home"])
    func refusesTheCurrentRootAndHomeFolders(out: String) async throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        if out == "~home" && home.isEmpty { return }  // no home folder named in this environment
        let path = out == "~home" ? home : out
        await #expect {
            try await run(to: path)
        } throws: { error in
            guard case WidgetError.unsafeOutput = error else { return false }
            return true
        }
    }

    @Test func writesANewOrEmptyFolderAndReplacesOneItWrote() async throws {
        let dir = try TemporaryDirectory("widgets")
        try FileManager.default.createDirectory(atPath: dir.file("empty"), withIntermediateDirectories: false)
        _ = try await run(to: dir.file("empty"))
        _ = try await run(to: dir.file("nested/new"))
        #expect(FileManager.default.fileExists(atPath: dir.file("empty/" + OutputFolder.markerName)))
        // Its own folder is replaced, also when a file was added to it since.
        try dir.write("empty/stray.txt", "x")
        _ = try await run(to: dir.file("empty"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("empty/stray.txt")))
        // A folder an earlier version wrote (no marker, only its own entries) is replaced too.
        try FileManager.default.removeItem(atPath: dir.file("empty/" + OutputFolder.markerName))
        _ = try await run(to: dir.file("empty"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["empty", "nested"])
    }

    @Test func anInterruptedRunRemovesWhatItWroteAndLeavesTheOutput() async throws {
        let dir = try TemporaryDirectory("widgets")
        _ = try await run(to: dir.file("w"))
        let before = try contents(of: dir.file("w"))
        await #expect(throws: WidgetError.interrupted) { try await run(to: dir.file("w"), cancelled: true) }
        #expect(try contents(of: dir.file("w")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["w"])
    }

    @Test func removesTheStagingFoldersOfRunsThatWereKilled() async throws {
        let dir = try TemporaryDirectory("widgets")
        // Process ids that are not running (the kernel's limit is 2^22).
        let dead: [Int32] = (4_194_000..<4_194_304).filter { kill($0, 0) != 0 && errno == ESRCH }.suffix(2)
        try #require(dead.count == 2)
        try dir.write(".w.tmp-\(dead[0])/sites/a.json", "{}")
        try dir.write(".w.old-\(dead[1])/widgets.jsonl", "{}")
        // A live process's folder (this one's parent) and another output's are left alone.
        try dir.write(".w.tmp-\(getppid())/x", "")
        try dir.write(".other.tmp-\(dead[0])/x", "")
        _ = try await run(to: dir.file("w"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [
                ".other.tmp-\(dead[0])", ".w.tmp-\(getppid())", "w",
            ])
    }

    @Test func idsTooLongForAFileNameAreHashed() async throws {
        let long = String(repeating: "a", count: 256)
        let japanese = String(repeating: "東", count: 29)
        let emoji = String(repeating: "🎉", count: 64)
        var names: Set<String> = []
        for id in [long, long + "b", japanese, emoji, String(repeating: "a", count: 200)] {
            let name = WidgetJob.fileName(id)
            #expect(name.utf8.count <= WidgetJob.longestFileName, "\(id)")
            names.insert(name)
        }
        #expect(names.count == 5)
        #expect(WidgetJob.fileName(long).contains("~") && !WidgetJob.fileName("a~b").contains("~"))
        // The cut never splits a %XX escape.
        #expect(!WidgetJob.fileName(japanese).split(separator: "~")[0].hasSuffix("%"))
        #expect(WidgetJob.fileName(String(repeating: "a", count: 200)) == String(repeating: "a", count: 200))
    }

    @Test func aCatalogueWithLongIdsWritesEveryArticleWidget() async throws {
        let dir = try TemporaryDirectory("fixture")
        let ids = [String(repeating: "x", count: 256), String(repeating: "東", count: 29)]
        var files = Fixtures.canonical
        files["articles.csv", default: ""] += ids.map { "travel,\($0),,Long id \($0.count),2024-02-20,en,nature\n" }
            .joined()
        files["events.csv", default: ""] += ids.enumerated().map {
            "l\($0.0),travel,\($0.1),alice,,view,2024-02-29T10:00:00Z,\n"
        }
        .joined()
        for (name, text) in files { try dir.write(name, text) }
        let store = try SQLiteArticleStore()
        _ = try store.run(CanonicalImporter(path: dir.path))
        let engine = try await RecommendationEngine.build(
            store: store, configuration: EngineConfiguration(), now: WidgetJobTests.now)
        var options = WidgetJobTests.options()
        options.now = WidgetJobTests.now
        let summary = try WidgetJob(engine: engine, options: options).run(to: dir.file("w"))
        #expect(summary.articleWidgets == 7)
        for id in ids {
            let file = dir.file("w/articles/travel/\(WidgetJob.shard(id))/\(WidgetJob.fileName(id)).json")
            let json = try String(contentsOfFile: file, encoding: .utf8)
            #expect(json.contains("\"id\":\"\(id)\""))
        }
    }

    @Test func aWriteErrorSaysWhy() async throws {
        let dir = try TemporaryDirectory("widgets")
        try dir.write("file", "not a folder")
        await #expect {
            try await run(to: dir.file("file/w"))
        } throws: { error in
            "\(error)".contains("ENOTDIR") || "\(error)".contains("Not a directory")
        }
    }
}
