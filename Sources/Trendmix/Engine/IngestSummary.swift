import Synchronization
import TrendmixCore
import TrendmixStore

/// What ``LiveEngine/ingest(_:location:)`` did with a batch.
public struct IngestSummary: Sendable, Equatable {
    public var received: Int
    /// Events new to the store, and events it already held (same site and id).
    public var added: Int
    public var unchanged: Int
    /// Events the served model took in (those on articles it knows).
    public var appliedToTrending: Int
}
