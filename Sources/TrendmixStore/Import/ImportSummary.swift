/// What an import added, changed and passed over.
public struct ImportSummary: Equatable, Sendable, Codable {
    /// Counts for one kind of record.
    public struct Counts: Equatable, Sendable, Codable {
        /// New records.
        public var added = 0
        /// Records that existed and whose values changed.
        public var updated = 0
        /// Records already stored with the same values (re-imports land here).
        public var unchanged = 0

        public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.added = added
            self.updated = updated
            self.unchanged = unchanged
        }

        public var total: Int { added + updated + unchanged }
    }

    public var sites = Counts()
    public var articles = Counts()
    public var tags = Counts()
    public var readers = Counts()
    public var events = Counts()
    public var daily = Counts()
    public var links = Counts()
    /// Widget impressions and clicks (the canonical format's `impressions` file).
    public var interactions = Counts()
    /// Input records deliberately not imported, by reason (e.g. "answer without an owner").
    public var skipped: [String: Int] = [:]
    /// Whether the import was rolled back on purpose (`--dry-run`).
    public var dryRun = false

    public init() {}

    /// Adds one skipped record under `reason`.
    public mutating func skip(_ reason: String, count: Int = 1) {
        skipped[reason, default: 0] += count
    }

    /// Whether the import changed nothing.
    public var changedNothing: Bool {
        [sites, articles, tags, readers, events, daily, links, interactions].allSatisfy {
            $0.added == 0 && $0.updated == 0
        }
    }

    /// A human-readable table, one line per kind of record plus the skipped reasons.
    public var text: String {
        var lines: [String] = []
        let rows: [(String, Counts)] = [
            ("sites", sites), ("articles", articles), ("tags", tags), ("readers", readers),
            ("events", events), ("daily rows", daily), ("links", links), ("impressions", interactions),
        ]
        let verb = dryRun ? "would add" : "added"
        for (name, c) in rows where c.total > 0 {
            var line = "\(name.padding(12)) \(verb) \(c.added)"
            if c.updated > 0 { line += ", updated \(c.updated)" }
            if c.unchanged > 0 { line += ", already present \(c.unchanged)" }
            lines.append(line)
        }
        if lines.isEmpty { lines.append("nothing to import") }
        for (reason, n) in skipped.sorted(by: { $0.key < $1.key }) {
            lines.append("skipped      \(n) \(reason)")
        }
        if dryRun { lines.append("dry run: nothing was written") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
