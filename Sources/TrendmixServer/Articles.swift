import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// `POST /v1/articles`: a back end creates or updates articles (a publisher's CMS on publishing), validated by the
/// canonical format's rules (docs/canonical-format.md; a bad field is a 400 naming `articles[i].field`, and nothing
/// of the batch is stored), stored in one transaction. An update replaces every field, as an import does. Title,
/// URL, card and expiry apply to the boxes being served at once (an article taken down leaves them now); a new
/// article enters them with the next `trendmix build`. Needs the write token (``WriteAccess``).
///
/// Body: `{"articles": [{"site", "id", "url"?, "title"?, "published_at"?, "language"?, "tags"?, "view_count"?,
/// "score"?, "image_url"?, "author"?, "section"?, "description"?, "expires_at"?}]}`, at most 1,000 and 1 MiB.
struct ArticlesEndpoint: Sendable {
    let holder: LiveEngine
    let access: WriteAccess
    static let fields: Set<String> = [
        "site", "id", "url", "title", "published_at", "language", "tags", "view_count", "score", "image_url", "author",
        "section", "description", "expires_at",
    ]

    func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        try access.check(request, context: context)
        try requireJSONBody(request)
        let body = try await request.body.collect(upTo: EventsEndpoint.maxBytes)
        let articles = try Self.parse(Data(buffer: body))
        do {
            let (counts, applied) = try await holder.storeArticles(articles) {
                SourceLocation(file: "POST /v1/articles", element: "articles[\($0)]")
            }
            return BatchBody.stored([
                ("received", articles.count), ("added", counts.added), ("updated", counts.updated),
                ("unchanged", counts.unchanged), ("applied_to_boxes", applied),
            ])
        } catch let error as ImportError {
            if case .invalidField(_, let field, _, _) = error, field == "site" {
                throw APIError(.notFound, "unknown_site", error.description)
            }
            throw APIError(.badRequest, "invalid_article", error.description)
        }
    }

    /// Parses and validates the body; the first problem is a 400 naming `articles[i].field`.
    static func parse(_ data: Data) throws -> [Article] {
        try BatchBody(key: "articles", code: "invalid_article").items(data, limit: EventsEndpoint.maxEvents).map {
            x in
            try x.allow(fields)
            let at = SourceLocation(file: "POST /v1/articles", element: x.name)
            // The importers' rules, their error turned into this batch's 400 naming the field.
            func rule<T>(_ field: String, _ check: (String) throws -> T) throws -> T? {
                guard let text = try x.string(field) else { return nil }
                do {
                    return try check(text)
                } catch let error as ImportError {
                    if case .invalidField(_, _, _, let reason) = error { throw x.bad(field, reason) }
                    throw error
                }
            }
            func whole(_ field: String, allowNegative: Bool) throws -> Int64? {
                guard let n = try x.number(field) else { return nil }
                guard n == n.rounded(), n.magnitude <= FieldRules.maxMagnitude, allowNegative || n >= 0 else {
                    throw x.bad(field, allowNegative ? "must be a whole number" : "must be a whole number, 0 or more")
                }
                return Int64(n)
            }
            func time(_ field: String) throws -> Timestamp? {
                guard x.fields.contains(field) else { return nil }
                let t = try x.time(field, received: Timestamp(milliseconds: .min))
                return t.milliseconds == .min ? nil : t
            }
            guard let site = try x.text("site", required: true) else { throw x.bad("site", "required") }
            guard let id = try rule("id", { try FieldRules.id($0, field: "id", at: at) }) else {
                throw x.bad("id", "required: a non-empty string")
            }
            var tags: [String] = []
            if let given = try x.stringList("tags") {
                do {
                    tags = try FieldRules.tags(given, field: "tags", at: at)
                } catch let error as ImportError {
                    if case .invalidField(_, _, _, let reason) = error { throw x.bad("tags", reason) }
                    throw error
                }
            }
            let card: ArticleCard
            do {
                card = try FieldRules.card({ try x.string($0) }, at: at)
            } catch let error as ImportError {
                if case .invalidField(_, let field, _, let reason) = error { throw x.bad(field, reason) }
                throw error
            }
            return Article(
                site: site, externalID: id, url: try rule("url") { try FieldRules.url($0, field: "url", at: at) },
                title: try rule("title") { try FieldRules.title($0, field: "title", at: at) },
                publishedAt: try time("published_at"),
                language: try rule("language") { try FieldRules.language($0, field: "language", at: at) },
                tags: tags, viewCount: try whole("view_count", allowNegative: false),
                score: try whole("score", allowNegative: true), card: card, expiresAt: try time("expires_at"))
        }
    }
}
