import Foundation
public import TrendmixCore

extension PostgresStore {
    public func prune(before cutoff: Timestamp, dryRun: Bool) throws -> PruneSummary {
        var summary = PruneSummary(cutoff: cutoff)
        let ms = cutoff.milliseconds
        return try withConnection { c in
            summary.bytesBefore = try c.query("SELECT pg_database_size(current_database())").int64(0, 0) ?? 0
            try c.transaction {
                // Every monthly partition that ends by the cutoff goes whole: no row by row delete, and its space
                // goes back to the file system at once.
                let partitions = try c.query(
                    """
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'event'::regclass ORDER BY c.relname
                    """)
                var whole: [String] = []
                for r in 0..<partitions.count {
                    guard let name = partitions.string(r, 0), let end = Self.partitionEnd(name), end <= ms else {
                        continue
                    }
                    whole.append(name)
                }
                for name in whole {
                    summary.events += try c.query("SELECT count(*) FROM \(name)").int(0, 0) ?? 0
                }
                if dryRun {
                    summary.events +=
                        try c.query(
                            "SELECT count(*) FROM event WHERE occurred_at < $1 AND tableoid::regclass::text <> ALL($2)",
                            [ms, "{" + whole.joined(separator: ",") + "}"]
                        ).int(0, 0) ?? 0
                    summary.dailyRows =
                        try c.query("SELECT count(*) FROM daily_engagement WHERE day < $1", [cutoff.day]).int(0, 0) ?? 0
                    summary.interactions =
                        try c.query("SELECT count(*) FROM widget_interaction WHERE occurred_at < $1", [ms]).int(0, 0)
                        ?? 0
                    return
                }
                for name in whole { try c.execute("DROP TABLE \(name)") }
                summary.partitionsDropped = whole.count
                summary.events += try c.query("DELETE FROM event WHERE occurred_at < $1", [ms]).changed
                try c.query("DELETE FROM event_key WHERE occurred_at < $1", [ms])
                summary.dailyRows = try c.query("DELETE FROM daily_engagement WHERE day < $1", [cutoff.day]).changed
                summary.interactions = try c.query("DELETE FROM widget_interaction WHERE occurred_at < $1", [ms])
                    .changed
            }
            if !dryRun {
                // VACUUM cannot run in a transaction; it makes the deleted rows' space reusable (and gives back
                // what lies at the tables' ends).
                for table in ["event", "event_key", "daily_engagement", "widget_interaction"] {
                    try c.execute("VACUUM (ANALYZE) \(table)")
                }
            }
            summary.bytesAfter = try c.query("SELECT pg_database_size(current_database())").int64(0, 0) ?? 0
            return summary
        }
    }

    /// The end (exclusive, in milliseconds) of a monthly partition named as ``PostgresSchema/partition(of:)``
    /// names them (`event_y2024m03`, `event_ym12m01` for year −12), nil for another name.
    static func partitionEnd(_ name: String) -> Int64? {
        guard let match = name.wholeMatch(of: /event_y(m?)(\d+)m(\d\d)/), let year = Int64(match.2),
            let month = Int64(match.3), (1...12).contains(month)
        else { return nil }
        let y = match.1.isEmpty ? year : -year
        return month == 12 ? PostgresSchema.start(y + 1, 1) : PostgresSchema.start(y, month + 1)
    }
}
