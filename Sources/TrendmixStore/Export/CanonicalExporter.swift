import Foundation
public import TrendmixCore

/// Writes a store's content (or some of its sites) in the canonical CSV format, the inverse of
/// ``CanonicalImporter``: importing the export into an empty store gives the same records.
public struct CanonicalExporter {
    public let store: any ArticleStore
    /// Sites to export; all when empty.
    public var sites: [String]
    /// When set, each site's times are shifted by whole days so that its last event falls on this day
    /// (the demo aligns dumps that end years apart). Shifting keeps every interval within a site.
    public var alignEnd: Timestamp?

    public init(store: any ArticleStore, sites: [String] = [], alignEnd: Timestamp? = nil) {
        self.store = store
        self.sites = sites
        self.alignEnd = alignEnd
    }

    /// What was written, per file.
    public struct Output: Equatable, Sendable {
        public var sites = 0
        public var articles = 0
        public var events = 0
        public var daily = 0
        public var links = 0
        public var interactions = 0
    }

    /// - Throws: ``ImportError/unreadable(file:reason:)`` for an unknown site; file system errors.
    public func write(to folder: String) throws -> Output {
        let all = try store.sites()
        let chosen =
            sites.isEmpty
            ? all
            : try sites.map { slug in
                guard let site = all.first(where: { $0.slug == slug }) else {
                    throw ImportError.unreadable(file: slug, reason: "no such site in the database")
                }
                return site
            }
        let wanted = Set(chosen.map(\.slug))
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var output = Output()

        // Per-site shift in whole days.
        var shift: [String: Int64] = [:]
        if let alignEnd {
            let stats = try store.statistics()
            for site in stats.sites where wanted.contains(site.slug) {
                if let last = site.lastEvent {
                    shift[site.slug] = (alignEnd.day - last.day) * Timestamp.millisecondsPerDay
                }
            }
        }
        func shifted(_ t: Timestamp, _ site: String) -> Timestamp {
            Timestamp(milliseconds: t.milliseconds + (shift[site] ?? 0))
        }

        var sitesCSV = "slug,name,kind,base_url\n"
        for site in chosen {
            sitesCSV += [site.slug, site.name, site.kind, site.baseURL].map(CSV.escape).joined(separator: ",") + "\n"
            output.sites += 1
        }
        try write(sitesCSV, folder, "sites.csv")

        var articlesCSV =
            "site,id,url,title,published_at,language,tags,view_count,score,image_url,author,section,description,"
            + "expires_at\n"
        for site in chosen {
            for a in try store.articles(site: site.slug) {
                let fields: [String] = [
                    a.site, a.externalID, a.url ?? "", a.title ?? "",
                    a.publishedAt.map { shifted($0, a.site).iso8601 } ?? "", a.language ?? "",
                    a.tags.joined(separator: "|"), a.viewCount.map(String.init) ?? "", a.score.map(String.init) ?? "",
                    a.card.imageURL ?? "", a.card.author ?? "", a.card.section ?? "", a.card.description ?? "",
                    a.expiresAt.map { shifted($0, a.site).iso8601 } ?? "",
                ]
                articlesCSV += fields.map(CSV.escape).joined(separator: ",") + "\n"
                output.articles += 1
            }
        }
        try write(articlesCSV, folder, "articles.csv")

        var linksCSV = "site,from,to,kind\n"
        for link in try store.links(site: nil) where wanted.contains(link.site) {
            linksCSV +=
                [link.site, link.from, link.to, link.kind.rawValue].map(CSV.escape).joined(separator: ",") + "\n"
            output.links += 1
        }
        try write(linksCSV, folder, "links.csv")

        var eventsCSV = "id,site,article,reader,session,type,time,value\n"
        try store.forEachEvent(from: nil, to: nil) { e in
            guard wanted.contains(e.site) else { return }
            let value = e.value == 1 ? "" : String(e.value)
            let fields = [
                e.sourceID, e.site, e.article, e.reader ?? "", e.session ?? "", e.type.name,
                shifted(e.time, e.site).iso8601, value,
            ]
            eventsCSV += fields.map(CSV.escape).joined(separator: ",") + "\n"
            output.events += 1
        }
        try write(eventsCSV, folder, "events.csv")

        var dailyCSV = "site,article,day,views,votes,score,comments\n"
        for d in try store.dailyEngagement(site: nil) where wanted.contains(d.site) {
            let day = shifted(Timestamp(milliseconds: d.day * Timestamp.millisecondsPerDay), d.site).isoDate
            dailyCSV +=
                "\(CSV.escape(d.site)),\(CSV.escape(d.article)),\(day),\(d.views),\(d.votes),\(d.score),\(d.comments)\n"
            output.daily += 1
        }
        try write(dailyCSV, folder, "daily.csv")

        // Impressions and clicks whose host and item are both exported (an import needs both stored); the clicks'
        // engagement events are in events.csv already, shifted as their item's site: so are these.
        var impressionsCSV = "id,kind,placement,host,seed,site,article,position,reader,variant,time\n"
        try store.forEachInteraction { x in
            guard wanted.contains(x.host), wanted.contains(x.site) else { return }
            let fields = [
                x.sourceID, x.kind.rawValue, x.placement, x.host, x.seed ?? "", x.site, x.article, String(x.position),
                x.reader ?? "", x.variant ?? "", shifted(x.time, x.site).iso8601,
            ]
            impressionsCSV += fields.map(CSV.escape).joined(separator: ",") + "\n"
            output.interactions += 1
        }
        try write(impressionsCSV, folder, "impressions.csv")
        return output
    }

    private func write(_ text: String, _ folder: String, _ name: String) throws {
        try text.write(toFile: (folder as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}

/// CSV quoting as RFC 4180 writes it.
public enum CSV {
    /// The field as it must appear in a CSV line: quoted when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
