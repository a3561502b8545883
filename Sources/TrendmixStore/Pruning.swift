public import TrendmixCore

/// What `trendmix prune` removed (or, in a dry run, would remove): everything dated before the cutoff.
public struct PruneSummary: Sendable, Equatable {
    public var cutoff: Timestamp
    public var events = 0
    /// Daily engagement rows (the sources' per-day aggregates) of days before the cutoff's day.
    public var dailyRows = 0
    /// Widget impressions and clicks.
    public var interactions = 0
    /// Whole monthly partitions of `event` dropped (PostgreSQL), the rest of the rows deleted one by one.
    public var partitionsDropped = 0
    /// The database's size on disk before and after (its files for SQLite, `pg_database_size` for PostgreSQL).
    public var bytesBefore: Int64 = 0
    public var bytesAfter: Int64 = 0

    public init(cutoff: Timestamp) {
        self.cutoff = cutoff
    }
}
