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
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(toLength width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
