public import TrendmixCore

/// Imports CI&T DeskDrop's `users_interactions.csv` (Kaggle, "Articles sharing and reading from CI&T
/// DeskDrop"): `timestamp,eventType,contentId,personId,sessionId,userAgent,userRegion,userCountry`.
///
/// One partner site; each `contentId` becomes an article (the dump ships no titles or URLs), each
/// `personId` a reader (`deskdrop:<personId>`), `sessionId` the session. The five event types map to
/// `view`, `like`, `bookmark`, `comment` and `follow`. The file has no event ids and repeats identical rows
/// (2,284 of them), so an event's id is its data row number (`row:<n>`): the file is an append-only log.
public struct DeskDropImporter: Importer {
    public let path: String
    public let site: Site

    public static let defaultSite = Site(
        slug: "deskdrop", name: "DeskDrop", kind: "blog", baseURL: "https://deskdrop.ciandt.com")

    public init(path: String, site: Site = Self.defaultSite) {
        self.path = path
        self.site = site
    }

    static let columns = [
        "timestamp", "eventType", "contentId", "personId", "sessionId", "userAgent", "userRegion", "userCountry",
    ]

    static func eventType(_ name: String) -> EventType? {
        switch name {
        case "VIEW": .view
        case "LIKE": .like
        case "BOOKMARK": .bookmark
        case "COMMENT CREATED": .comment
        case "FOLLOW": .follow
        default: nil
        }
    }

    public func run(into writer: any ImportWriter, progress: ImportProgress?) throws {
        let table = try CSVTable(path: path, required: Self.columns)
        let total = ProgressTotal(files: [table.reader.fileSize], report: progress)
        try writer.upsertSite(site, at: SourceLocation(file: path))
        try writer.claimSource("deskdrop", site: site.slug, at: SourceLocation(file: path))
        // Readers are per site: `deskdrop:<personId>` on the default site, `deskdrop:<slug>:<personId>` on another.
        let readerPrefix = site.slug == Self.defaultSite.slug ? "deskdrop:" : "deskdrop:\(site.slug):"
        var row = 0
        while try table.next() {
            row += 1
            let at = table.location
            let timeText = try table.required("timestamp")
            guard let seconds = Int64(timeText), Timestamp(seconds: seconds).isInAcceptedRange else {
                throw ImportError.invalidField(
                    at, field: "timestamp", value: timeText, reason: "not Unix seconds between 1900 and 2200")
            }
            let typeText = try table.required("eventType")
            guard let type = Self.eventType(typeText) else {
                throw ImportError.invalidField(
                    at, field: "eventType", value: typeText,
                    reason: "unknown event type; expected VIEW, LIKE, BOOKMARK, COMMENT CREATED or FOLLOW")
            }
            let content = try Self.signedID(table, "contentId")
            let person = try Self.signedID(table, "personId")
            let session = try Self.signedID(table, "sessionId")
            if try !writer.hasArticle(site: site.slug, externalID: content) {
                try writer.upsertArticle(Article(site: site.slug, externalID: content), at: at)
            }
            try writer.appendEvent(
                EngagementEvent(
                    sourceID: "row:\(row)", site: site.slug, article: content, reader: readerPrefix + person,
                    session: session, type: type, time: Timestamp(seconds: seconds)), at: at)
            if row & 0x3FFF == 0 { total.update(table.reader.bytesRead) }
        }
        total.finishFile(table.reader.fileSize)
    }

    private static func signedID(_ table: CSVTable, _ field: String) throws -> String {
        let text = try table.required(field)
        guard Int64(text) != nil else {
            throw ImportError.invalidField(table.location, field: field, value: text, reason: "not a 64-bit integer id")
        }
        return text
    }
}
