import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// The handlers: parameters validated (400 naming the parameter), answers computed from the engine in hand
/// (nothing recomputed that the build stored), JSON written by hand on bytes, and conditional GETs: the `ETag` is
/// the model stamp and the request's path and query, so a client holding an answer gets 304 until a new model.
struct API: Sendable {
    enum Format: Sendable { case json, html }

    let holder: LiveEngine
    let maxAge: Int
    let cache: ResponseCache
    static let maxK = MixConfiguration.boxSizes.upperBound

    /// `ok`, or `degraded` with 503 and the reason while posted writes fail (disk full, database busy): reads
    /// from the loaded model still work then, but events are not stored.
    func health() -> Response {
        let stamp = holder.engine.stamp
        let failure = holder.lastWriteFailure
        var out = UTF8Output(capacity: 256)
        out.append(failure == nil ? "{\"status\":\"ok\"" : "{\"status\":\"degraded\",\"write_failure\":")
        if let failure { out.quoted(failure) }
        out.append(",\"model\":{\"built_for\":")
        out.quoted(stamp.builtFor.iso8601)
        out.append(",\"computed_at\":")
        out.quoted(stamp.computedAt.iso8601)
        out.append(",\"configuration_hash\":")
        out.quoted(stamp.configurationHash)
        out.append("}}\n")
        var response = json(out, cache: "no-store")
        if failure != nil { response.status = .serviceUnavailable }
        return response
    }

    func recommendations(_ request: Request, article: String, allowed: Set<String>) throws -> Response {
        let shown = Timestamp.wallClock()
        let (engine, revision, arm) = holder.snapshot(reader: Self.reader(request))
        let variant = arm.map { "json|" + $0 } ?? "json"
        if let hit = cached(request, revision, variant: variant, shown: shown) { return hit }
        let query = try Query(request)
        try query.allow(allowed)
        if let cached = notModified(request, engine, revision, variant: variant, shown: shown) { return cached }
        let items = try engine.related(
            site: query.string("site"), article: article, visit: query.list("visit"), reader: query.string("reader"),
            k: try query.k(), exclude: query.list("exclude"), visibleAt: shown)
        let seed = try engine.article(article, site: query.string("site"))
        var out = UTF8Output()
        out.append("{\"article\":{\"id\":")
        out.quoted(engine.model.articles.externalID[Int(seed)])
        out.append(",\"site\":")
        out.quoted(engine.model.sites[Int(engine.model.articles.site[Int(seed)])].slug)
        out.append("},")
        write(items, explain: try query.bool("explain"), stamp: engine.stamp, into: &out)
        return store(
            out.bytes, contentType: "application/json; charset=utf-8", request, engine, revision, variant: variant,
            shown: shown)
    }

    func trending(_ request: Request, site: String, allowed: Set<String>) throws -> Response {
        let shown = Timestamp.wallClock()
        let (engine, revision, arm) = holder.snapshot(reader: Self.reader(request))
        let variant = arm.map { "json|" + $0 } ?? "json"
        if let hit = cached(request, revision, variant: variant, shown: shown) { return hit }
        let query = try Query(request)
        try query.allow(allowed)
        if let cached = notModified(request, engine, revision, variant: variant, shown: shown) { return cached }
        let items = try engine.trending(
            host: site, reader: query.string("reader"), k: try query.k(), exclude: query.list("exclude"),
            tags: query.list("tag"), visibleAt: shown)
        var out = UTF8Output()
        // The host as the widget names it (one vocabulary): {"slug", "name", "url"}.
        out.append("{\"host\":")
        WidgetRenderer.json(host: engine.model.sites[Int(try engine.site(site))], into: &out)
        out.append(",")
        write(items, explain: try query.bool("explain"), stamp: engine.stamp, into: &out)
        return store(
            out.bytes, contentType: "application/json; charset=utf-8", request, engine, revision, variant: variant,
            shown: shown)
    }

    func widget(
        _ request: Request, site: String?, article: String?, format: Format?, allowed: Set<String>
    ) throws -> Response {
        // With an A/B test, a reader's box comes from their arm's engine and says which arm it is.
        let shown = Timestamp.wallClock()
        let (engine, revision, arm) = holder.snapshot(reader: Self.reader(request))
        let format = format ?? (Self.prefersHTML(request) ? .html : .json)
        // The answer's variant for caches and entity tags: its format, and the reader's arm of an A/B test (a
        // restart with other arms must not answer 304 with the old arm's box).
        let variant = (format == .html ? "html" : "json") + (arm.map { "|" + $0 } ?? "")
        if let hit = cached(request, revision, variant: variant, shown: shown) { return hit }
        let query = try Query(request)
        try query.allow(allowed)
        if let cached = notModified(request, engine, revision, variant: variant, shown: shown) { return cached }
        // A reader's box (`reader=`) is theirs: personalised, without what they read, and `private` to caches.
        let reader = query.string("reader").flatMap { engine.reader($0) }
        let exclude = try engine.excluded(query.list("exclude"))
        let k = try query.k() ?? engine.configuration.model.mix.k
        var widget: Widget
        if let article {
            let seed = try engine.article(article, site: query.string("site"))
            widget = Widget(
                engine: engine, host: engine.model.articles.site[Int(seed)], seed: seed,
                visit: engine.visited(query.list("visit"), site: engine.model.articles.site[Int(seed)]),
                reader: reader, exclude: exclude, k: k,
                now: engine.model.builtAt, visibleAt: shown)
        } else {
            widget = Widget(
                engine: engine, host: try engine.site(site ?? ""), seed: nil, reader: reader, exclude: exclude, k: k,
                now: engine.model.builtAt, visibleAt: shown)
        }
        widget.variant = arm
        var out = UTF8Output()
        switch format {
        case .json:
            WidgetRenderer.json(widget, into: &out)
            out.append(byte: 0x0A)
        case .html:
            WidgetRenderer.html(widget, into: &out)
        }
        let type = format == .json ? "application/json; charset=utf-8" : "text/html; charset=utf-8"
        return store(out.bytes, contentType: type, request, engine, revision, variant: variant, shown: shown)
    }

    // MARK: Writing

    /// The rest of an answer after its first key: `"items": [...], "model": {...}}` (keys sorted, as everywhere in
    /// the wire vocabulary).
    private func write(_ items: [RecommendedItem], explain: Bool, stamp: ModelStamp, into out: inout UTF8Output) {
        out.append("\"items\":[")
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(byte: 0x2C) }
            WidgetRenderer.json(item, explanation: explain, into: &out)
        }
        out.append("],\"model\":")
        WidgetRenderer.json(builtFor: stamp.builtFor, configurationHash: stamp.configurationHash, into: &out)
        out.append("}\n")
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
    func etag(
        _ request: Request, _ engine: RecommendationEngine, _ revision: UInt64, variant: String, shown: Timestamp
    ) -> String {
        let h = FNV1a.hash64(request.uri.description + "|" + variant)
        let stamp = engine.stamp
        // Posted events change answers without a new build: the revision (and this process, as revisions
        // restart with it) then joins the tag.
        let live = revision == 0 ? "" : "-r\(revision).\(String(holder.instance, radix: 16))"
        // Articles expiring change answers too.
        let passed = engine.expiriesPassed(by: shown)
        let expired = passed == 0 ? "" : "-x\(passed)"
        return
            "\"\(stamp.configurationHash)-\(stamp.computedAt.milliseconds)\(live)\(expired)-\(String(h, radix: 16))\""
    }

    /// 304 when the client's `If-None-Match` (or, without it, `If-Modified-Since`) still matches.
    private func notModified(
        _ request: Request, _ engine: RecommendationEngine, _ revision: UInt64, variant: String, shown: Timestamp
    ) -> Response? {
        let tag = etag(request, engine, revision, variant: variant, shown: shown)
        var matches = false
        if let given = request.headers[.ifNoneMatch] {
            matches = given.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*"
            }
        } else if revision == 0, let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse) {
            matches = Self.lastModified(engine, shown).milliseconds / 1000 <= since.milliseconds / 1000
        }
        guard matches else { return nil }
        var headers = cacheHeaders(
            engine, tag: tag, personal: Self.isPersonal(request), validUntil: engine.nextExpiry(after: shown),
            shown: shown)
        headers[.contentLength] = "0"
        return Response(status: .notModified, headers: headers)
    }

    /// The cached answer to this request from this engine revision (a 304 when the client holds it): no
    /// parsing, no ranking, no header building.
    private func cached(_ request: Request, _ revision: UInt64, variant: String, shown: Timestamp) -> Response? {
        guard var hit = cache.get(.init(revision: revision, uri: request.uri.description, variant: variant)),
            hit.validUntil.map({ shown < $0 }) ?? true
        else {
            return nil
        }
        // Kept by HTTP caches no longer than until the next expiry, counted from now, not from when it was stored.
        if let until = hit.validUntil {
            hit.headers[.cacheControl] = Self.cacheControl(
                personal: Self.isPersonal(request), age: min(maxAge, Self.secondsLeft(until, shown)))
        }
        var matches = false
        if let given = request.headers[.ifNoneMatch] {
            matches = given.split(separator: ",").contains {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == hit.etag || tag == "*"
            }
        } else if revision == 0, let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse),
            let modified = hit.headers[.lastModified].flatMap(HTTPDate.parse)
        {
            matches = modified.milliseconds <= since.milliseconds
        }
        if matches {
            var headers = hit.headers
            headers[.contentType] = nil
            headers[.contentLength] = "0"
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: hit.headers, body: .init(byteBuffer: hit.body))
    }

    /// Keeps a computed answer (its bytes and headers) for the next identical request.
    private func store(
        _ bytes: [UInt8], contentType: String, _ request: Request, _ engine: RecommendationEngine,
        _ revision: UInt64, variant: String, shown: Timestamp
    ) -> Response {
        let buffer = ByteBuffer(bytes: bytes)
        let tag = etag(request, engine, revision, variant: variant, shown: shown)
        // An article that expires changes the answer: kept (here and by HTTP caches) no longer than until then.
        // The same clock reading as the ranking's, so an expiry between two readings cannot be missed.
        let validUntil = engine.nextExpiry(after: shown)
        var headers = cacheHeaders(
            engine, tag: tag, personal: Self.isPersonal(request), validUntil: validUntil, shown: shown)
        headers[.contentType] = contentType
        // A box for one visit is asked once: kept, it would only push out the boxes asked again and again.
        if !Self.carriesVisit(request) {
            cache.put(
                .init(revision: revision, uri: request.uri.description, variant: variant),
                .init(body: buffer, headers: headers, etag: tag, validUntil: validUntil))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// Validators and caching: an answer for a reader (`reader=`) is `private` (a shared cache must not hand one
    /// reader's box to another); `Vary` names `Accept` and `Origin`, both of which can change the answer.
    private func cacheHeaders(
        _ engine: RecommendationEngine, tag: String, personal: Bool, validUntil: Timestamp?, shown: Timestamp
    ) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = tag
        headers[.lastModified] = HTTPDate.format(Self.lastModified(engine, shown))
        let age = min(maxAge, validUntil.map { Self.secondsLeft($0, shown) } ?? maxAge)
        headers[.cacheControl] = Self.cacheControl(personal: personal, age: age)
        headers[.vary] = "Accept, Origin"
        return headers
    }

    static func cacheControl(personal: Bool, age: Int) -> String {
        personal ? "private, max-age=\(age)" : "public, max-age=\(age)"
    }

    /// Whole seconds from `now` until `time`, 0 when it has passed.
    static func secondsLeft(_ time: Timestamp, _ now: Timestamp) -> Int {
        Int(max(0, time.milliseconds - now.milliseconds) / 1000)
    }

    /// When answers last changed: the model's computation, or the last article expiry since.
    static func lastModified(_ engine: RecommendationEngine, _ now: Timestamp) -> Timestamp {
        let passed = engine.expiriesPassed(by: now)
        guard passed > 0, let latest = engine.expiry(at: passed - 1) else { return engine.stamp.computedAt }
        return Timestamp(milliseconds: max(engine.stamp.computedAt.milliseconds, latest.milliseconds))
    }

    /// Whether the request names a reader (its answer is theirs alone).
    /// A reader's box, or one for a reader's visit (`visit=`, what they read): `private` to shared caches.
    static func isPersonal(_ request: Request) -> Bool { reader(request) != nil || carriesVisit(request) }

    static func carriesVisit(_ request: Request) -> Bool {
        request.uri.queryParameters.contains { name, value in name == "visit" && !value.isEmpty }
    }

    /// The `reader` query parameter, nil when absent or empty.
    static func reader(_ request: Request) -> String? {
        // The last one given, as ``Query/string(_:)`` reads it: the arm and the personalisation are one reader's.
        var last: String?
        for (name, value) in request.uri.queryParameters where name == "reader" { last = String(value) }
        return last.flatMap { $0.isEmpty ? nil : $0 }
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
