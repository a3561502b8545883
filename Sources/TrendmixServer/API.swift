import Foundation
import Hummingbird
import Trendmix
import TrendmixCore
import TrendmixStore

/// The handlers: parameters validated (400 naming the parameter), answers computed from the engine in hand
/// (nothing recomputed that the build stored), JSON written by hand on bytes, and conditional GETs: the `ETag` is
/// the model stamp and the request's path and query, so a client holding an answer gets 304 until a new model.
struct API: Sendable {
    enum Format: Sendable { case json, html }

    let holder: EngineHolder
    let maxAge: Int
    static let maxK = 100

    func health() -> Response {
        let stamp = holder.engine.stamp
        var out = UTF8Output(capacity: 256)
        out.append("{\"status\":\"ok\",\"model\":{\"built_for\":")
        out.quoted(stamp.builtFor.iso8601)
        out.append(",\"computed_at\":")
        out.quoted(stamp.computedAt.iso8601)
        out.append(",\"configuration_hash\":")
        out.quoted(stamp.configurationHash)
        out.append("}}\n")
        return json(out, cache: "no-store")
    }

    func recommendations(_ request: Request, article: String) throws -> Response {
        let engine = holder.engine
        let query = try Query(request)
        try query.allow(["k", "site", "reader", "exclude", "explain"])
        if let cached = notModified(request, engine) { return cached }
        let items = try engine.related(
            site: query.string("site"), article: article, reader: query.string("reader"), k: try query.k(),
            exclude: query.list("exclude"))
        let seed = try engine.article(article, site: query.string("site"))
        var out = UTF8Output()
        out.append("{\"article\":{\"id\":")
        out.quoted(engine.model.articles.externalID[Int(seed)])
        out.append(",\"site\":")
        out.quoted(engine.model.sites[Int(engine.model.articles.site[Int(seed)])].slug)
        out.append("},")
        write(items, explain: try query.bool("explain"), stamp: engine.stamp, into: &out)
        return conditional(json(out), request, engine)
    }

    func trending(_ request: Request, site: String) throws -> Response {
        let engine = holder.engine
        let query = try Query(request)
        try query.allow(["k", "exclude", "tag", "reader", "explain"])
        if let cached = notModified(request, engine) { return cached }
        let items = try engine.trending(
            host: site, reader: query.string("reader"), k: try query.k(), exclude: query.list("exclude"),
            tags: query.list("tag"))
        var out = UTF8Output()
        out.append("{\"site\":")
        out.quoted(site)
        out.append(",")
        write(items, explain: try query.bool("explain"), stamp: engine.stamp, into: &out)
        return conditional(json(out), request, engine)
    }

    func widget(_ request: Request, site: String?, article: String?, format: Format?) throws -> Response {
        let engine = holder.engine
        let query = try Query(request)
        try query.allow(["k", "site"])
        let format = format ?? (Self.prefersHTML(request) ? .html : .json)
        if let cached = notModified(request, engine, variant: format == .html ? "html" : "json") { return cached }
        let widget: Widget
        if let article {
            let seed = try engine.article(article, site: query.string("site"))
            widget = Widget(
                engine: engine, host: engine.model.articles.site[Int(seed)], seed: seed,
                k: try query.k() ?? engine.configuration.model.mix.k, now: engine.model.builtAt)
        } else {
            widget = Widget(
                engine: engine, host: try engine.site(site ?? ""), seed: nil,
                k: try query.k() ?? engine.configuration.model.mix.k, now: engine.model.builtAt)
        }
        var out = UTF8Output()
        var headers = HTTPFields()
        switch format {
        case .json:
            WidgetRenderer.json(widget, into: &out)
            out.append(byte: 0x0A)
            headers[.contentType] = "application/json; charset=utf-8"
        case .html:
            WidgetRenderer.html(widget, into: &out)
            headers[.contentType] = "text/html; charset=utf-8"
        }
        let response = Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
        return conditional(response, request, engine, variant: format == .html ? "html" : "json")
    }

    // MARK: Writing

    private func write(_ items: [RecommendedItem], explain: Bool, stamp: ModelStamp, into out: inout UTF8Output) {
        out.append("\"model\":{\"built_for\":")
        out.quoted(stamp.builtFor.iso8601)
        out.append(",\"configuration_hash\":")
        out.quoted(stamp.configurationHash)
        out.append("},\"items\":[")
        for (i, item) in items.enumerated() {
            out.append(i == 0 ? "{\"article\":" : ",{\"article\":")
            out.quoted(item.article)
            out.append(",\"title\":")
            out.quoted(item.title)
            out.append(",\"url\":")
            out.quoted(item.url)
            out.append(",\"site\":")
            out.quoted(item.site)
            out.append(",\"site_name\":")
            out.quoted(item.siteName)
            out.append(",\"tag\":")
            out.quoted(item.tag)
            out.append(",\"score\":")
            out.number(item.score)
            out.append(",\"reason\":")
            out.quoted(item.reason)
            if explain {
                out.append(",\"explanation\":")
                out.quoted(item.explanation)
            }
            out.append("}")
        }
        out.append("]}\n")
    }

    private func json(_ out: UTF8Output, cache: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let cache { headers[.cacheControl] = cache }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    // MARK: Conditional requests

    /// The entity tag of an answer: the model's configuration hash and computation time, and an FNV-1a hash of
    /// the request's path, query and variant.
    static func etag(_ request: Request, _ engine: RecommendationEngine, variant: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (request.uri.description + "|" + variant).utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let stamp = engine.stamp
        return "\"\(stamp.configurationHash)-\(stamp.computedAt.milliseconds)-\(String(h, radix: 16))\""
    }

    /// 304 when the client's `If-None-Match` (or, without it, `If-Modified-Since`) still matches.
    private func notModified(
        _ request: Request, _ engine: RecommendationEngine, variant: String = "json"
    )
        -> Response?
    {
        let tag = Self.etag(request, engine, variant: variant)
        var matches = false
        if let given = request.headers[.ifNoneMatch] {
            matches = given.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*"
            }
        } else if let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse) {
            matches = engine.stamp.computedAt.milliseconds / 1000 <= Int64(since.timeIntervalSince1970)
        }
        guard matches else { return nil }
        var headers = cacheHeaders(engine, tag: tag)
        headers[.contentLength] = "0"
        return Response(status: .notModified, headers: headers)
    }

    private func conditional(
        _ response: Response, _ request: Request, _ engine: RecommendationEngine, variant: String = "json"
    ) -> Response {
        var response = response
        for field in cacheHeaders(engine, tag: Self.etag(request, engine, variant: variant)) {
            response.headers[field.name] = field.value
        }
        return response
    }

    private func cacheHeaders(_ engine: RecommendationEngine, tag: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = tag
        headers[.lastModified] = HTTPDate.format(
            Date(timeIntervalSince1970: Double(engine.stamp.computedAt.milliseconds) / 1000))
        headers[.cacheControl] = "public, max-age=\(maxAge)"
        headers[.vary] = "Accept"
        return headers
    }

    /// `Accept` asks for HTML before JSON (by order and q-values as sent; */* alone means JSON).
    static func prefersHTML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        let html = accept.range(of: "text/html")
        let json = accept.range(of: "application/json")
        switch (html, json) {
        case (.some, .none): return true
        case (.some(let h), .some(let j)): return h.lowerBound < j.lowerBound
        default: return false
        }
    }
}

/// The query string, parsed once: repeated and comma-separated values both accepted for lists.
struct Query {
    let items: [(name: String, value: String)]

    init(_ request: Request) throws {
        var items: [(String, String)] = []
        for (name, value) in request.uri.queryParameters {
            items.append((String(name), String(value)))
        }
        self.items = items
    }

    func allow(_ names: Set<String>) throws {
        if let unknown = items.first(where: { !names.contains($0.name) }) {
            throw APIError.badParameter(
                unknown.name, "not a parameter of this endpoint (\(names.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ name: String) -> String? {
        items.last { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
    }

    func list(_ name: String) -> [String] {
        items.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    func k() throws -> Int? {
        guard items.contains(where: { $0.name == "k" }) else { return nil }
        let text = string("k") ?? ""
        guard let k = Int(text), (1...API.maxK).contains(k) else {
            throw APIError.badParameter("k", "expected a whole number from 1 to \(API.maxK), got '\(text)'")
        }
        return k
    }

    func bool(_ name: String) throws -> Bool {
        guard let text = string(name) else { return items.contains { $0.name == name } }
        switch text.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw APIError.badParameter(name, "expected true or false, got '\(text)'")
        }
    }
}

/// HTTP dates (RFC 9110 IMF-fixdate), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    static func formatter() -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f
    }

    static func format(_ date: Date) -> String { formatter().string(from: date) }
    static func parse(_ text: String) -> Date? { formatter().date(from: text) }
}
