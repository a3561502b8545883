import Foundation
import TrendmixCore

/// Imports Trendmix's canonical exchange format: the format a partner site exports to.
///
/// A folder holds up to six files, each as CSV (with a header row) or JSON Lines (one object per line,
/// same keys): `sites`, `articles`, `links`, `events`, `daily`, `impressions`, read in that order. A single file may be
/// imported alone; its name says what it holds (`events.csv`, `articles.jsonl`, ...). The columns are
/// documented in `docs/canonical-format.md`.
public struct CanonicalImporter: Importer {
    public enum Kind: String, CaseIterable, Sendable {
        case sites, articles, links, events, daily, impressions

        var required: [String] {
            switch self {
            case .sites: ["slug", "name", "kind", "base_url"]
            case .articles: ["site", "id"]
            case .links: ["site", "from", "to", "kind"]
            case .events: ["id", "site", "article", "type", "time"]
            case .daily: ["site", "article", "day"]
            case .impressions: ["id", "placement", "host", "site", "article", "position", "time"]
            }
        }

        var optional: [String] {
            switch self {
            case .sites, .links: []
            case .articles:
                [
                    "url", "title", "published_at", "language", "tags", "view_count", "score", "image_url", "author",
                    "section", "description", "expires_at",
                ]
            case .events: ["reader", "session", "value"]
            case .daily: ["views", "votes", "score", "comments"]
            case .impressions: ["kind", "seed", "reader", "variant"]
            }
        }
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The files to read, in order, with what each holds.
    func files() throws -> [(Kind, String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError.unreadable(file: path, reason: ByteSource.whyMissing(path))
        }
        if !isDirectory.boolValue {
            guard let kind = Self.kind(ofFile: path) else {
                throw ImportError.unreadable(
                    file: path,
                    reason:
                        "cannot tell what the file holds: name it sites, articles, links, events, daily or impressions, "
                        + "ending in .csv or .jsonl")
            }
            return [(kind, path)]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        // A file that looks meant for import but would not be read (Events.csv, events.csv.gz) stops the import:
        // importing the rest without it would lose its records silently.
        for name in names.sorted() where Self.kind(ofFile: name) == nil {
            let lower = name.lowercased()
            if Kind.allCases.contains(where: { lower.hasPrefix($0.rawValue + ".") }) {
                throw ImportError.unreadable(
                    file: (path as NSString).appendingPathComponent(name),
                    reason:
                        "not read: canonical files are named in lower case, ending in .csv or .jsonl, uncompressed "
                        + "(rename it, or decompress it, or move it out of the folder)")
            }
        }
        var found: [(Kind, String)] = []
        for kind in Kind.allCases {
            let matches = names.filter { Self.kind(ofFile: $0) == kind }.sorted()
            if matches.count > 1 {
                throw ImportError.unreadable(
                    file: path, reason: "both \(matches.joined(separator: " and ")) hold \(kind.rawValue); keep one")
            }
            if let name = matches.first { found.append((kind, (path as NSString).appendingPathComponent(name))) }
        }
        guard !found.isEmpty else {
            throw ImportError.unreadable(
                file: path,
                reason: "the folder has no sites, articles, links, events, daily or impressions file (.csv or .jsonl)")
        }
        return found
    }

    static func kind(ofFile path: String) -> Kind? {
        let name = (path as NSString).lastPathComponent
        for ext in [".csv", ".jsonl", ".ndjson"] where name.hasSuffix(ext) {
            return Kind(rawValue: String(name.dropLast(ext.count)))
        }
        return nil
    }

    public func run(into writer: any ImportWriter, progress: ImportProgress?) throws {
        let files = try files()
        let total = ProgressTotal(files: files.map { fileSize($0.1) }, report: progress)
        for (kind, file) in files {
            let size: Int64
            if file.hasSuffix(".csv") {
                size = try importCSV(kind, file, writer, total)
            } else {
                size = try importJSONLines(kind, file, writer, total)
            }
            total.finishFile(size)
        }
    }

    private func importCSV(
        _ kind: Kind, _ file: String, _ writer: any ImportWriter, _ progress: ProgressTotal
    ) throws
        -> Int64
    {
        if kind == .events { return try importEventsCSV(file, writer, progress) }
        let table = try CSVTable(path: file, required: kind.required, optional: kind.optional)
        var rows = 0
        while try table.next() {
            try Self.record(kind, table, writer)
            rows += 1
            if rows & 0x3FFF == 0 { progress.update(table.reader.bytesRead) }
        }
        return table.reader.fileSize
    }

    /// Events are most of every import: their file is parsed and checked on a second thread while this one
    /// stores them (``Pipeline``), and their columns are resolved once instead of by name per row.
    private func importEventsCSV(_ file: String, _ writer: any ImportWriter, _ progress: ProgressTotal) throws -> Int64
    {
        let kind = Kind.events
        let size = fileSize(file)
        try Pipeline.run(
            produce: { emit in
                let table = try CSVTable(path: file, required: kind.required, optional: kind.optional)
                try Self.parseEvents(table) { event, location in
                    try emit((event, location.line ?? 0, table.reader.bytesRead))
                }
            },
            consume: { (item: (event: EngagementEvent, line: Int, bytes: Int64)) in
                try writer.appendEvent(item.event, at: SourceLocation(file: file, line: item.line))
                progress.update(item.bytes)
            })
        return size
    }

    static func parseEvents(_ table: CSVTable, _ emit: (EngagementEvent, SourceLocation) throws -> Void) throws {
        // CSVTable has checked that the required columns are present.
        guard let id = table.index("id"), let site = table.index("site"), let article = table.index("article"),
            let type = table.index("type"), let time = table.index("time")
        else { throw ImportError.invalidHeader(table.location, reason: "missing a required column") }
        let reader = table.index("reader")
        let session = table.index("session")
        let value = table.index("value")
        while try table.next() {
            let at = table.location
            func required(_ index: Int, _ name: String) throws -> String {
                guard let text = try table.text(at: index, field: name) else {
                    throw ImportError.invalidField(at, field: name, value: "", reason: "is required")
                }
                return text
            }
            let typeName = try required(type, "type")
            guard let eventType = EventType(name: typeName) else {
                throw ImportError.invalidField(
                    at, field: "type", value: typeName,
                    reason: "unknown event type; expected one of \(EventType.acceptedNames)")
            }
            guard let timestamp = table.reader.withField(time, TimestampParser.parse) else {
                let timeText = try required(time, "time")
                throw ImportError.invalidField(
                    at, field: "time", value: timeText,
                    reason: "not a time between 1900 and 2200 (ISO 8601 such as 2020-05-31T01:40:47Z, or Unix seconds)")
            }
            try emit(
                EngagementEvent(
                    sourceID: try FieldRules.id(required(id, "id"), field: "id", at: at),
                    site: try required(site, "site"),
                    article: try required(article, "article"),
                    reader: try reader.flatMap { try table.text(at: $0, field: "reader") }.map {
                        try FieldRules.id($0, field: "reader", at: at)
                    },
                    session: try session.flatMap { try table.text(at: $0, field: "session") }.map {
                        try FieldRules.id($0, field: "session", at: at)
                    },
                    type: eventType, time: timestamp,
                    value: try value.flatMap { try table.text(at: $0, field: "value") }.map {
                        try FieldRules.number($0, field: "value", at: at)
                    } ?? 1), at)
        }
    }

    private func importJSONLines(
        _ kind: Kind, _ file: String, _ writer: any ImportWriter, _ progress: ProgressTotal
    ) throws -> Int64 {
        let reader = try LineReader(path: file)
        let allowed = Set(kind.required + kind.optional)
        var records = 0
        while try reader.next() {
            if reader.line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let record = try JSONRecord(
                line: reader.line, location: SourceLocation(file: file, line: reader.lineNumber), allowed: allowed)
            try Self.record(kind, record, writer)
            records += 1
            if records & 0x3FFF == 0 { progress.update(reader.bytesRead) }
        }
        if records == 0 { throw ImportError.empty(file: file) }
        return reader.fileSize
    }

    static func record(_ kind: Kind, _ r: some RecordFields, _ writer: any ImportWriter) throws {
        let at = r.location
        switch kind {
        case .sites:
            let name = try r.required("name")
            try writer.upsertSite(
                Site(
                    slug: try FieldRules.slug(r.required("slug"), field: "slug", at: at),
                    name: try FieldRules.title(name, field: "name", at: at),
                    kind: try FieldRules.slug(r.required("kind"), field: "kind", at: at),
                    baseURL: try FieldRules.url(r.required("base_url"), field: "base_url", at: at)), at: at)
        case .articles:
            let tags = try r.text("tags").map {
                try FieldRules.tags($0.split(separator: "|").map(String.init), field: "tags", at: at)
            }
            try writer.upsertArticle(
                Article(
                    site: try r.required("site"),
                    externalID: try FieldRules.id(r.required("id"), field: "id", at: at),
                    url: try r.text("url").map { try FieldRules.url($0, field: "url", at: at) },
                    title: try r.text("title").map { try FieldRules.title($0, field: "title", at: at) },
                    publishedAt: try r.text("published_at").map {
                        try FieldRules.time($0, field: "published_at", at: at)
                    },
                    language: try r.text("language").map { try FieldRules.language($0, field: "language", at: at) },
                    tags: tags ?? [],
                    viewCount: try r.text("view_count").map {
                        try FieldRules.integer($0, field: "view_count", at: at, allowNegative: false)
                    },
                    score: try r.text("score").map { try FieldRules.integer($0, field: "score", at: at) },
                    card: try FieldRules.card({ try r.text($0) }, at: at),
                    expiresAt: try r.text("expires_at").map { try FieldRules.time($0, field: "expires_at", at: at) }),
                at: at)
        case .links:
            let kindText = try r.required("kind")
            guard let linkKind = ArticleLinkKind(rawValue: kindText) else {
                throw ImportError.invalidField(
                    at, field: "kind", value: kindText, reason: "must be related or duplicate")
            }
            try writer.addLink(
                site: try r.required("site"), from: try r.required("from"), to: try r.required("to"), kind: linkKind,
                at: at)
        case .events:
            let typeName = try r.required("type")
            guard let type = EventType(name: typeName) else {
                throw ImportError.invalidField(
                    at, field: "type", value: typeName,
                    reason: "unknown event type; expected one of \(EventType.acceptedNames)")
            }
            try writer.appendEvent(
                EngagementEvent(
                    sourceID: try FieldRules.id(r.required("id"), field: "id", at: at),
                    site: try r.required("site"),
                    article: try r.required("article"),
                    reader: try r.text("reader").map { try FieldRules.id($0, field: "reader", at: at) },
                    session: try r.text("session").map { try FieldRules.id($0, field: "session", at: at) },
                    type: type,
                    time: try FieldRules.time(r.required("time"), field: "time", at: at),
                    value: try r.text("value").map { try FieldRules.number($0, field: "value", at: at) } ?? 1), at: at)
        case .daily:
            let dayText = try r.required("day")
            guard dayText.utf8.count == 10, let day = TimestampParser.parse(dayText) else {
                throw ImportError.invalidField(
                    at, field: "day", value: dayText, reason: "must be a date such as 2020-05-31")
            }
            func count(_ field: String, allowNegative: Bool = false) throws -> Int64 {
                try r.text(field).map { try FieldRules.integer($0, field: field, at: at, allowNegative: allowNegative) }
                    ?? 0
            }
            try writer.setDaily(
                DailyEngagement(
                    site: try r.required("site"), article: try r.required("article"), day: day.day,
                    views: try count("views"), votes: try count("votes"),
                    score: try count("score", allowNegative: true),
                    comments: try count("comments")), at: at)
        case .impressions:
            let kindText = try r.text("kind") ?? "impression"
            guard let kind = WidgetInteraction.Kind(rawValue: kindText) else {
                throw ImportError.invalidField(
                    at, field: "kind", value: kindText, reason: "must be impression or click")
            }
            let position = try FieldRules.integer(r.required("position"), field: "position", at: at)
            guard (1...1000).contains(position) else {
                throw ImportError.invalidField(
                    at, field: "position", value: String(position), reason: "must be from 1 to 1000")
            }
            let variant = try r.text("variant")
            if let variant, !FieldRules.isVariantName(variant) {
                throw ImportError.invalidField(
                    at, field: "variant", value: variant,
                    reason: "must be 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit")
            }
            try writer.recordInteraction(
                WidgetInteraction(
                    sourceID: try FieldRules.id(r.required("id"), field: "id", at: at), kind: kind,
                    placement: try FieldRules.title(r.required("placement"), field: "placement", at: at),
                    host: try r.required("host"), seed: try r.text("seed"), site: try r.required("site"),
                    article: try r.required("article"), position: Int(position),
                    reader: try r.text("reader").map { try FieldRules.id($0, field: "reader", at: at) },
                    variant: variant, time: try FieldRules.time(r.required("time"), field: "time", at: at)), at: at)
        }
    }
}
