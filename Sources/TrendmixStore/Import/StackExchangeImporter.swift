import Foundation
public import TrendmixCore

/// Imports one site of a Stack Exchange data dump: a folder with `Posts.xml`, `Users.xml`, `Comments.xml`,
/// `Votes.xml` and, where present, `Tags.xml` and `PostLinks.xml`.
///
/// - The folder becomes a partner site (its name is the slug unless given).
/// - Questions become articles: title, tags, creation time, lifetime view count and score.
/// - Reader events, keyed by the network-wide `AccountId` (`se:<AccountId>`) so that one person is one
///   reader on every site: asking (`post`), answering (`answer`), commenting (`comment`) and
///   favouriting (`favorite`). Engagement with an answer counts for its question, the page a reader sees.
/// - Anonymous up and down votes, and comments by deleted users, become daily aggregates per question.
/// - PostLinks become `related` and `duplicate` links between questions.
/// Everything else (tag wikis, accept and moderation votes, posts by the Community bot) is counted as skipped.
public struct StackExchangeImporter: Importer {
    public let folder: String
    /// The partner site; `nil` when none was given and the folder's name is not a public dump's host name (the
    /// import then fails, naming `--site-slug` and `--base-url`).
    public let site: Site?
    public let language: String?

    /// - Parameters:
    ///   - folder: the dump folder.
    ///   - site: the partner site; by default the one the folder's name gives (``site(forFolder:)``).
    ///   - language: the articles' language; by default `it` for `italian`, `fr` for `french*`, else `en`.
    public init(folder: String, site: Site? = nil, language: String? = nil) {
        self.folder = folder
        self.site = site ?? Self.site(forFolder: folder)
        self.language = language ?? Self.defaultLanguage(slug: self.site?.slug ?? "")
    }

    /// The site a folder named as the public dumps are names: `beer.stackexchange.com` → slug `beer` at
    /// `https://beer.stackexchange.com`, `beer.meta.stackexchange.com` → `beer.meta`, `superuser.com` →
    /// `superuser`, `mathoverflow.net` → `mathoverflow`. Any other name (`beer`, `stackexchange-cardano`,
    /// `My Dump (2024)!`, `..`) gives `nil`: no link is invented from a name that is not a host.
    public static func site(forFolder folder: String) -> Site? {
        let name = (folder as NSString).lastPathComponent.lowercased()
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let isLabel: (Substring) -> Bool = { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        }
        guard labels.count >= 2, labels.allSatisfy(isLabel), ["com", "net"].contains(labels.last ?? "") else {
            return nil
        }
        let slug: String
        if name.hasSuffix(".stackexchange.com"), labels.count >= 3 {
            slug = labels.dropLast(2).joined(separator: ".")
        } else if labels.count == 2 {
            slug = String(labels[0])
        } else {
            return nil
        }
        guard Site.isValidSlug(slug) else { return nil }
        let words = slug.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let display = name.hasSuffix(".stackexchange.com") ? " Stack Exchange" : ""
        return Site(slug: slug, name: words.joined(separator: " ") + display, kind: "qa", baseURL: "https://" + name)
    }

    static func defaultLanguage(slug: String) -> String {
        if slug.hasPrefix("italian") { return "it" }
        if slug.hasPrefix("french") { return "fr" }
        return "en"
    }

    /// The site's slug (``run(into:progress:)`` has checked that there is a site).
    private var siteSlug: String { site?.slug ?? "" }

    private func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    public func run(into writer: any ImportWriter, progress: ImportProgress?) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ImportError.unreadable(file: folder, reason: ByteSource.whyMissing(folder))
        }
        guard isDirectory.boolValue else {
            throw ImportError.unreadable(file: folder, reason: "expected a dump folder holding Posts.xml, not a file")
        }
        for required in ["Posts.xml", "Users.xml", "Comments.xml", "Votes.xml"] {
            guard FileManager.default.fileExists(atPath: file(required)) else {
                throw ImportError.unreadable(file: file(required), reason: "missing from the dump folder")
            }
        }
        let hasTags = FileManager.default.fileExists(atPath: file("Tags.xml"))
        let hasLinks = FileManager.default.fileExists(atPath: file("PostLinks.xml"))
        // Posts.xml is read twice (questions, then answers), so it counts twice.
        var sizes = ["Users.xml", "Posts.xml", "Posts.xml", "Comments.xml", "Votes.xml"].map { fileSize(file($0)) }
        if hasTags { sizes.append(fileSize(file("Tags.xml"))) }
        if hasLinks { sizes.append(fileSize(file("PostLinks.xml"))) }
        let total = ProgressTotal(files: sizes, report: progress)

        guard let site else {
            throw ImportError.unreadable(
                file: folder,
                reason:
                    "its name is not the host name of a public dump (such as beer.stackexchange.com), so the site's "
                    + "address is unknown: rename the folder so, or give --site-slug and --base-url")
        }
        let siteLocation = SourceLocation(file: folder)
        try writer.upsertSite(site, at: siteLocation)
        // One site is one Stack Exchange site: another dump under the same slug would reuse its post ids.
        try writer.claimSource("stackexchange \(site.baseURL)", site: site.slug, at: siteLocation)
        var state = State(site: site.slug)
        try readUsers(&state, total)
        try readQuestions(&state, writer, total)
        try readAnswers(&state, writer, total)
        try readComments(&state, writer, total)
        try readVotes(&state, writer, total)
        for (key, counts) in state.daily.sorted(by: { ($0.key.question, $0.key.day) < ($1.key.question, $1.key.day) }) {
            try writer.setDaily(
                DailyEngagement(
                    site: siteSlug, article: String(key.question), day: key.day, votes: counts.votes,
                    score: counts.score, comments: counts.comments), at: SourceLocation(file: file("Votes.xml")))
        }
        if hasTags { try readTags(writer, total) }
        if hasLinks { try readLinks(&state, writer, total) }
    }

    private struct DailyKey: Hashable {
        var question: Int64
        var day: Int64
    }

    private struct State {
        let site: String
        /// User Id → reader key.
        var readers: [Int64: String] = [:]
        /// User Id → display name (a question's card shows its author).
        var names: [Int64: String] = [:]
        /// Question Id → whether it exists; answer Id → its question.
        var questionOf: [Int64: Int64] = [:]
        var daily: [DailyKey: (votes: Int64, score: Int64, comments: Int64)] = [:]
    }

    private func each(_ name: String, _ progress: ProgressTotal, _ body: (XMLRowReader) throws -> Void) throws {
        let reader = try XMLRowReader(path: file(name))
        var n = 0
        while try reader.next() {
            try body(reader)
            n += 1
            if n & 0xFFF == 0 { progress.update(reader.bytesRead) }
        }
        progress.finishFile(reader.fileSize)
    }

    private static func required(_ row: XMLRowReader, _ name: String) throws -> Int64 {
        guard let value = try integer(row, name, required: true) else {
            throw ImportError.invalidField(row.location, field: name, value: "", reason: "is required")
        }
        return value
    }

    private static func integer(
        _ row: XMLRowReader, _ name: String, required: Bool = true, allowNegative: Bool = true
    ) throws -> Int64? {
        guard let text = try row.value(name) else {
            if required {
                throw ImportError.invalidField(row.location, field: name, value: "", reason: "is required")
            }
            return nil
        }
        return try FieldRules.integer(text, field: name, at: row.location, allowNegative: allowNegative)
    }

    private static func time(_ row: XMLRowReader, _ name: String = "CreationDate") throws -> Timestamp {
        guard let text = try row.value(name) else {
            throw ImportError.invalidField(row.location, field: name, value: "", reason: "is required")
        }
        return try FieldRules.time(text, field: name, at: row.location)
    }

    private func readUsers(_ state: inout State, _ progress: ProgressTotal) throws {
        try each("Users.xml", progress) { row in
            let id = try Self.required(row, "Id")
            if let name = try row.value("DisplayName"), !name.isEmpty {
                state.names[id] = try FieldRules.cardText(name, field: "DisplayName", limit: 200, at: row.location)
            }
            if let account = try Self.integer(row, "AccountId", required: false) {
                // AccountId -1 is the Community bot's.
                state.readers[id] = account < 0 ? "" : "se:\(account)"
            } else {
                state.readers[id] = id < 0 ? "" : "se:\(state.site):\(id)"
            }
        }
    }

    /// The reader key of a user, `nil` when the post has no owner, "" for the Community bot.
    private func reader(_ state: State, _ row: XMLRowReader, _ field: String) throws -> String? {
        guard let user = try Self.integer(row, field, required: false) else { return nil }
        // A user missing from Users.xml (deleted between the two exports) still is one reader on this site.
        return state.readers[user] ?? (user < 0 ? "" : "se:\(state.site):\(user)")
    }

    private func readQuestions(_ state: inout State, _ writer: any ImportWriter, _ progress: ProgressTotal) throws {
        try each("Posts.xml", progress) { row in
            guard try Self.required(row, "PostTypeId") == 1 else { return }
            let id = try Self.required(row, "Id")
            guard let title = try row.value("Title"), !title.isEmpty else {
                throw ImportError.invalidField(
                    row.location, field: "Title", value: "", reason: "a question needs a title")
            }
            let created = try Self.time(row)
            let tags = try Self.tagList(try row.value("Tags") ?? "", at: row.location)
            try writer.upsertArticle(
                Article(
                    site: siteSlug, externalID: String(id),
                    url: "\(site?.baseURL ?? "")/questions/\(id)",
                    title: try FieldRules.title(title, field: "Title", at: row.location),
                    publishedAt: created, language: language, tags: tags,
                    viewCount: try Self.integer(row, "ViewCount", required: false, allowNegative: false),
                    score: try Self.integer(row, "Score", required: false),
                    card: try Self.card(row, state)), at: row.location)
            state.questionOf[id] = id
            try event(
                state, writer, row, owner: "OwnerUserId", question: id, type: .post, source: "q\(id)", time: created)
        }
    }

    /// A question's card: its asker (the owner's display name, or the name a deleted user's post kept) and the
    /// start of its body as plain text.
    private static func card(_ row: XMLRowReader, _ state: State) throws -> ArticleCard {
        var author = try row.value("OwnerDisplayName")
        if author?.isEmpty ?? true, let owner = try integer(row, "OwnerUserId", required: false) {
            author = state.names[owner]
        }
        let description = try row.value("Body").flatMap { PlainText.fromHTML($0, limit: 240) }
        return ArticleCard(
            author: try author.flatMap { $0.isEmpty ? nil : $0 }.map {
                try FieldRules.cardText($0, field: "OwnerDisplayName", limit: 200, at: row.location)
            },
            description: try description.map {
                try FieldRules.cardText($0, field: "Body", limit: 1000, at: row.location)
            })
    }

    private func event(
        _ state: State, _ writer: any ImportWriter, _ row: XMLRowReader, owner: String, question: Int64,
        type: EventType, source: String, time: Timestamp
    ) throws {
        guard let reader = try reader(state, row, owner) else {
            writer.skip("\(type.name) events by deleted or anonymous users")
            return
        }
        guard !reader.isEmpty else {
            writer.skip("\(type.name) events by the Community bot")
            return
        }
        try writer.appendEvent(
            EngagementEvent(
                sourceID: source, site: siteSlug, article: String(question), reader: reader, type: type, time: time),
            at: row.location)
    }

    private func readAnswers(_ state: inout State, _ writer: any ImportWriter, _ progress: ProgressTotal) throws {
        try each("Posts.xml", progress) { row in
            let type = try Self.required(row, "PostTypeId")
            guard type == 2 else {
                if type != 1 { writer.skip("posts that are neither questions nor answers (tag wikis, ...)") }
                return
            }
            let id = try Self.required(row, "Id")
            let parent = try Self.required(row, "ParentId")
            guard state.questionOf[parent] == parent else {
                writer.skip("answers to a question missing from the dump")
                return
            }
            state.questionOf[id] = parent
            try event(
                state, writer, row, owner: "OwnerUserId", question: parent, type: .answer, source: "a\(id)",
                time: try Self.time(row))
        }
    }

    private func readComments(_ state: inout State, _ writer: any ImportWriter, _ progress: ProgressTotal) throws {
        try each("Comments.xml", progress) { row in
            let id = try Self.required(row, "Id")
            let post = try Self.required(row, "PostId")
            let time = try Self.time(row)
            guard let question = state.questionOf[post] else {
                writer.skip("comments on posts that are not questions or answers")
                return
            }
            if try Self.integer(row, "UserId", required: false) == nil {
                state.daily[DailyKey(question: question, day: time.day), default: (0, 0, 0)].comments += 1
                return
            }
            try event(
                state, writer, row, owner: "UserId", question: question, type: .comment, source: "c\(id)", time: time)
        }
    }

    private func readVotes(_ state: inout State, _ writer: any ImportWriter, _ progress: ProgressTotal) throws {
        try each("Votes.xml", progress) { row in
            let id = try Self.required(row, "Id")
            let post = try Self.required(row, "PostId")
            let type = try Self.required(row, "VoteTypeId")
            let time = try Self.time(row)
            guard let question = state.questionOf[post] else {
                writer.skip("votes on posts that are not questions or answers")
                return
            }
            switch type {
            case 2, 3:
                let key = DailyKey(question: question, day: time.day)
                state.daily[key, default: (0, 0, 0)].votes += 1
                state.daily[key, default: (0, 0, 0)].score += type == 2 ? 1 : -1
            case 5:
                try event(
                    state, writer, row, owner: "UserId", question: question, type: .favorite, source: "v\(id)",
                    time: time)
            default:
                writer.skip("votes of other types (accept, bounty, moderation)")
            }
        }
    }

    private func readTags(_ writer: any ImportWriter, _ progress: ProgressTotal) throws {
        // Tag names arrive with the questions; Tags.xml is checked for well-formedness only, since a tag no
        // question carries says nothing about any article.
        try each("Tags.xml", progress) { row in
            guard let name = try row.value("TagName") else {
                throw ImportError.invalidField(row.location, field: "TagName", value: "", reason: "is required")
            }
            _ = try FieldRules.tag(name, field: "TagName", at: row.location)
        }
    }

    private func readLinks(_ state: inout State, _ writer: any ImportWriter, _ progress: ProgressTotal) throws {
        try each("PostLinks.xml", progress) { row in
            let from = try Self.required(row, "PostId")
            let to = try Self.required(row, "RelatedPostId")
            let type = try Self.required(row, "LinkTypeId")
            guard state.questionOf[from] == from, state.questionOf[to] == to else {
                writer.skip("links to posts missing from the dump")
                return
            }
            let kind: ArticleLinkKind
            switch type {
            case 1: kind = .related
            case 3: kind = .duplicate
            default:
                throw ImportError.invalidField(
                    row.location, field: "LinkTypeId", value: String(type),
                    reason: "expected 1 (linked) or 3 (duplicate)")
            }
            try writer.addLink(site: siteSlug, from: String(from), to: String(to), kind: kind, at: row.location)
        }
    }

    /// Parses `<a><b>` (dumps up to 2023) or `|a|b|` (later dumps).
    static func tagList(_ text: String, at location: SourceLocation) throws -> [String] {
        if text.isEmpty { return [] }
        let parts: [String]
        if text.hasPrefix("<") {
            guard text.hasSuffix(">") else {
                throw ImportError.invalidField(location, field: "Tags", value: text, reason: "expected <tag1><tag2>")
            }
            parts = text.dropFirst().dropLast().components(separatedBy: "><")
        } else {
            parts = text.split(separator: "|").map(String.init)
        }
        return try FieldRules.tags(parts, field: "Tags", at: location)
    }
}
