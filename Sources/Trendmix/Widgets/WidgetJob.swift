import CFileSystem
import Dispatch
import Foundation
import Synchronization
public import TrendmixCore

#if canImport(Glibc)
    import Glibc
#endif

/// The batch job: every site's widget (and with `perArticle` every article's), written as JSON files, HTML
/// fragments, one JSON Lines file of all widgets, and a preview page.
///
/// Output goes to a temporary folder beside `out` and replaces `out` only when complete, so a failed or
/// interrupted run leaves the previous widgets intact. The same model, options and `now` give byte-identical files.
public struct WidgetJob: Sendable {
    public enum Format: String, Sendable, CaseIterable { case json, html }

    public struct Options: Sendable {
        /// Host sites; all when empty.
        public var sites: [String] = []
        public var perArticle = false
        public var k = 8
        /// The moment to compute for; the model's by default.
        public var now: Timestamp?
        /// When the files will be shown, for expiry: an article expired by then is left out. The clock by
        /// default (``RecommendationRequest/visibleAt``).
        public var shownFrom: Timestamp?
        public var formats: Set<Format> = [.json, .html]
        /// Per-article widgets shown on the preview page.
        public var previewArticles = 12
        /// The database the widgets are made from: the run refuses an output folder that holds it.
        public var database: String?
        /// Asked between widgets; when it answers true the run stops, removes what it wrote and throws
        /// ``WidgetError/interrupted`` (the command line sets it on SIGINT and SIGTERM).
        public var isCancelled: (@Sendable () -> Bool)?
        /// Testing hook: fail after writing this many widgets.
        var failAfter: Int?

        public init() {}
    }

    /// What a run wrote.
    public struct Summary: Sendable, Equatable {
        public var siteWidgets = 0
        public var articleWidgets = 0
        /// Widgets with no item at all (nothing eligible anywhere).
        public var empty = 0
        public var seconds = 0.0
        public var folder = ""
        public var preview = ""
    }

    public let engine: RecommendationEngine
    public let options: Options
    /// The clock when the job was made.
    private let shownAt = Timestamp.wallClock()

    public init(engine: RecommendationEngine, options: Options) {
        self.engine = engine
        self.options = options
    }

    /// Generates every widget into `out` (replaced atomically).
    /// - Parameter progress: called with (widgets done, widgets in all), possibly from several threads at once
    ///   but never concurrently.
    /// - Throws: ``EngineError`` for an unknown site; file system errors. `out` is untouched on any error.
    public func run(to out: String, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let started = ContinuousClock.now
        let model = engine.model
        let now = options.now ?? model.builtAt
        let hosts =
            try options.sites.isEmpty ? Array(0..<Int32(model.sites.count)) : options.sites.map { try engine.site($0) }
        let folder = try OutputFolder(out, database: options.database)
        folder.removeStale()
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder.staging)
        do {
            try fm.createDirectory(atPath: folder.staging + "/sites", withIntermediateDirectories: true)
        } catch {
            throw WidgetError.cannotWrite(folder.staging, reason: Self.reason(error))
        }
        do {
            var summary = try generate(into: folder.staging, hosts: hosts, now: now, progress: progress)
            try writeMarker(in: folder.staging)
            try replace(folder)
            summary.seconds = (ContinuousClock.now - started).inMilliseconds / 1000
            summary.folder = out
            summary.preview = out + "/index.html"
            return summary
        } catch {
            try? fm.removeItem(atPath: folder.staging)
            throw error
        }
    }

    private func widget(host: Int32, seed: Int32?, now: Timestamp) -> Widget {
        // Files are written to be shown from now on: an article already expired by the clock is left out.
        Widget(
            engine: engine, host: host, seed: seed, k: options.k, now: now, visibleAt: options.shownFrom ?? shownAt)
    }

    private func generate(
        into dir: String, hosts: [Int32], now: Timestamp, progress: (@Sendable (Int, Int) -> Void)?
    ) throws -> Summary {
        let model = engine.model
        let hostSet = Set(hosts)
        let articles =
            options.perArticle
            ? (0..<Int32(model.articles.count)).filter { hostSet.contains(model.articles.site[Int($0)]) } : []
        let total = hosts.count + articles.count
        let done = Mutex(0)
        let report: @Sendable (Int) -> Void = { n in
            guard let progress else { return }
            done.withLock { count in
                count += n
                progress(count, total)
            }
        }
        var summary = Summary()
        // Files are opened relative to the staging folder (and the article folder below): the kernel then walks
        // two or three path components per file instead of the whole path.
        let root = try Folder(dir)
        // Site widgets (few): in order, on this thread.
        var siteWidgets: [Widget] = []
        var lines = UTF8Output()
        var html = UTF8Output()
        for host in hosts {
            if options.isCancelled?() == true { throw WidgetError.interrupted }
            let w = widget(host: host, seed: nil, now: now)
            try write(
                w, lines: &lines, html: &html, in: root, name: "sites/" + Self.fileName(model.sites[Int(host)].slug))
            siteWidgets.append(w)
            summary.siteWidgets += 1
            if w.items.isEmpty { summary.empty += 1 }
            if let limit = options.failAfter, summary.siteWidgets >= limit { throw WidgetError.injectedFailure }
        }
        report(hosts.count)
        let jsonLines = open(dir + "/widgets.jsonl", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard jsonLines >= 0 else {
            throw WidgetError.cannotWrite(dir + "/widgets.jsonl", reason: describe(errno: errno))
        }
        defer { close(jsonLines) }
        let linesError = writeAll(jsonLines, lines.bytes[...])
        guard linesError == 0 else {
            throw WidgetError.cannotWrite(dir + "/widgets.jsonl", reason: describe(errno: linesError))
        }

        // Article widgets: contiguous chunks on all cores. Each chunk's JSON lines go to the one file in chunk
        // order as chunks finish: written once, not as part files read back and copied (2.9 GB each way for a
        // million widgets).
        var preview: [Widget] = []
        if !articles.isEmpty {
            // 256 shard folders per site: folders stay small, and two threads seldom write into the same one
            // (one folder per site, shared by both threads, spent most of the run waiting on its lock).
            for host in hosts {
                let site = dir + "/articles/" + Self.fileName(model.sites[Int(host)].slug)
                for shard in 0..<256 {
                    do {
                        try FileManager.default.createDirectory(
                            atPath: site + "/" + Self.hex2(shard), withIntermediateDirectories: true)
                    } catch {
                        throw WidgetError.cannotWrite(site + "/" + Self.hex2(shard), reason: Self.reason(error))
                    }
                }
            }
            let articleFolder = try Folder(dir + "/articles")
            let siteFolders = model.sites.map { Self.fileName($0.slug) }
            let ordered = OrderedLines(fd: jsonLines)
            let failAfter = options.failAfter.map { $0 - hosts.count }
            // nil: a chunk whose lines were dropped because the run had failed (queueing them would hold them all in
            // memory). The failure reported is the failing chunk's, or a failed write of the JSON Lines file below.
            let results = parallelMap(count: articles.count, chunks: 256) { range -> Result<(Int, Int), WidgetError>? in
                guard !ordered.hasFailed else { return nil }
                var lines = UTF8Output(capacity: range.count * 3072)
                var html = UTF8Output()
                var empty = 0
                for index in range {
                    let a = articles[index]
                    if let failAfter, index >= failAfter {
                        ordered.fail()
                        return .failure(.injectedFailure)
                    }
                    if index % 64 == 0, options.isCancelled?() == true {
                        ordered.fail()
                        return .failure(.interrupted)
                    }
                    let w = widget(host: model.articles.site[Int(a)], seed: a, now: now)
                    if w.items.isEmpty { empty += 1 }
                    let site = siteFolders[Int(model.articles.site[Int(a)])]
                    do {
                        let id = model.articles.externalID[Int(a)]
                        try write(
                            w, lines: &lines, html: &html, in: articleFolder,
                            name: "\(site)/\(Self.shard(id))/" + Self.fileName(id))
                    } catch let error as WidgetError {
                        ordered.fail()
                        return .failure(error)
                    } catch {
                        ordered.fail()
                        return .failure(.cannotWrite(site, reason: "\(error)"))
                    }
                    if (index - range.lowerBound) % 256 == 255 { report(256) }
                }
                report(range.count % 256)
                guard ordered.add(range, lines.bytes) else { return nil }
                return .success((range.lowerBound, empty))
            }
            for result in results {
                switch result {
                case .success(let (_, empty)):
                    summary.empty += empty
                case .failure(let error):
                    throw error
                case nil:
                    continue
                }
            }
            guard ordered.isComplete(articles.count) else {
                throw WidgetError.cannotWrite(dir + "/widgets.jsonl", reason: describe(errno: ordered.writeError))
            }
            summary.articleWidgets = articles.count
            // The preview shows the articles with the most readers (ties by index).
            let sample = articles.sorted {
                let (o0, o1) = (model.neighbours.occurrences[Int($0)], model.neighbours.occurrences[Int($1)])
                return o0 != o1 ? o0 > o1 : $0 < $1
            }.prefix(options.previewArticles)
            preview = sample.map { widget(host: model.articles.site[Int($0)], seed: $0, now: now) }
        }
        try root.writeFile(
            "index.html",
            ArraySlice(PreviewPage.html(sites: siteWidgets, articles: preview, engine: engine, now: now).utf8))
        return summary
    }

    /// Writes the widget's files and appends its JSON line to `lines`: the JSON is rendered once, straight into
    /// the JSON Lines buffer, and the widget's `.json` file is that slice of it.
    private func write(
        _ w: Widget, lines: inout UTF8Output, html: inout UTF8Output, in folder: Folder, name: String
    ) throws {
        let start = lines.bytes.count
        WidgetRenderer.json(w, into: &lines)
        lines.append(byte: 0x0A)
        if options.formats.contains(.json) { try folder.writeFile(name + ".json", lines.bytes[start...]) }
        if options.formats.contains(.html) {
            html.removeAll()
            WidgetRenderer.html(w, into: &html)
            try folder.writeFile(name + ".html", html.bytes[...])
        }
    }

    /// Leaves the marker that lets a later run replace the folder.
    private func writeMarker(in dir: String) throws {
        try Folder(dir).writeFile(OutputFolder.markerName, ArraySlice(OutputFolder.markerText.utf8))
    }

    /// Moves the staging folder into place: the old folder is renamed aside first and removed last, so the output
    /// is never half-written.
    private func replace(_ folder: OutputFolder) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let out = folder.path
        if fm.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw WidgetError.notAFolder(out) }
            // One step: the folder never goes missing, even for a run killed here (the staging folder then holds
            // the old widgets, removed by the next run as left behind).
            if trendmix_exchange_paths(folder.staging, out) == 0 {
                try? fm.removeItem(atPath: folder.staging)
                return
            }
            // A file system that cannot exchange: set the old folder aside, then rename.
            try? fm.removeItem(atPath: folder.setAside)
            guard rename(out, folder.setAside) == 0 else {
                throw WidgetError.cannotWrite(out, reason: describe(errno: errno))
            }
        }
        guard rename(folder.staging, out) == 0 else {
            let code = errno
            _ = rename(folder.setAside, out)
            throw WidgetError.cannotWrite(out, reason: describe(errno: code))
        }
        try? fm.removeItem(atPath: folder.setAside)
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return describe(errno: underlying.code.rawValue)
        }
        if let error = error as? POSIXError { return describe(errno: error.code.rawValue) }
        return (error as NSError).localizedDescription
    }

    /// The shard folder of an article id: the low byte of its FNV-1a 64 hash, as two lowercase hex digits.
    public static func shard(_ id: String) -> String { hex2(Int(FNV1a.hash64(id) & 0xFF)) }

    static func hex2(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return hex.count == 1 ? "0" + hex : hex
    }

    /// The longest file name ``fileName(_:)`` gives before it hashes: 200 bytes leaves room for `.json` under the
    /// 255-byte limit of common file systems.
    static let longestFileName = 200

    /// A file name for an id: letters, digits, `.`, `-` and `_` kept, everything else as `%XX`; never `.` or `..`.
    /// A name longer than ``longestFileName`` bytes once encoded (a 256-byte id, 29 Japanese characters, 64 emoji)
    /// becomes its first 150 bytes, `~` and the 16 hex digits of the FNV-1a 64 hash of the whole id: `~` is never
    /// in an encoded name, so a hashed name never equals another id's plain one.
    static func fileName(_ id: String) -> String {
        // Most ids are safe as they are: checked on the bytes, without building a new string.
        let plain = id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
        }
        if plain, id != ".", id != "..", !id.isEmpty, id.utf8.count <= longestFileName { return id }
        var out = ""
        for byte in id.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        if out == "." || out == ".." || out.isEmpty { out = out.replacingOccurrences(of: ".", with: "%2E") + "%" }
        guard out.utf8.count > longestFileName else { return out }
        // Cut at 150 bytes, never inside a %XX escape.
        var cut = out.utf8.prefix(150)
        if let percent = cut.suffix(2).lastIndex(of: 0x25) { cut = cut[..<percent] }
        return String(decoding: cut, as: UTF8.self) + "~" + FNV1a.hex64(id)
    }

}
