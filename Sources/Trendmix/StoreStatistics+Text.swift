public import TrendmixCore
public import TrendmixStore

extension StoreStatistics {
    /// A table for people: one row per site, then event types, readers and the time span.
    public var text: String {
        func day(_ t: (some CustomStringConvertible)?) -> String {
            guard let t else { return "-" }
            return String(t.description.prefix(10))
        }
        var rows: [[String]] = [
            ["site", "kind", "articles", "events", "readers", "daily rows", "first event", "last event"]
        ]
        for s in sites {
            rows.append([
                s.slug, s.kind, String(s.articles), String(s.events), String(s.readers), String(s.dailyRows),
                day(s.firstEvent), day(s.lastEvent),
            ])
        }
        rows.append([
            "all", "", String(articles), String(events), String(readers), String(dailyRows), day(firstEvent),
            day(lastEvent),
        ])
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { c, cell in
                c < 2 ? cell.padding(toLength: widths[c]) : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: lines[0].count), at: 1)
        lines.insert(String(repeating: "-", count: lines[0].count), at: lines.count - 1)
        let types = eventsByType.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("events by type: \(types.isEmpty ? "none" : types)")
        lines.append("readers: \(readers) (\(crossSiteReaders) on more than one site); tags: \(tags); links: \(links)")
        if let calibration { lines += calibration.lines }
        for warning in quietSiteWarnings { lines.append("warning: " + warning) }
        return lines.joined(separator: "\n")
    }

    /// Sites with no events in the ``StoreStatistics/quietDays`` before the newest event of the database (which,
    /// for replayed data, stands for now): their boxes can hold nothing trending, only the newest articles.
    public var quietSiteWarnings: [String] {
        guard let newest = lastEvent else { return [] }
        return Self.quietSites(sites.map { ($0.slug, $0.lastEvent) }, now: newest)
    }

    /// How long a site may go without events before `stats` and `build` warn about it.
    public static let quietDays = 30

    /// One sentence per site whose last event (`nil`: none) is more than ``quietDays`` before `now`.
    public static func quietSites(_ sites: [(slug: String, last: Timestamp?)], now: Timestamp) -> [String] {
        let limit = Int64(quietDays) * Timestamp.millisecondsPerDay
        return sites.compactMap { site in
            guard let last = site.last else { return "site '\(site.slug)' has no events: nothing of it can trend" }
            let quiet = now.milliseconds - last.milliseconds
            guard quiet > limit else { return nil }
            return
                "site '\(site.slug)' has had no events for \(quiet / Timestamp.millisecondsPerDay) days (the last on "
                + "\(last.iso8601.prefix(10))): nothing of it can trend, its boxes show its newest articles"
        }
    }
}

extension String {
    func padding(toLength width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
