public import TrendmixCore

/// What ``ArticleStore/record(_:location:)`` stored.
public struct InteractionsRecorded: Sendable, Equatable {
    /// Interactions new to the store, and those already stored (same host site and id).
    public var added = 0
    public var unchanged = 0
    /// The click events that were new, to fold into trending.
    public var clicks: [EngagementEvent] = []

    public init(added: Int = 0, unchanged: Int = 0, clicks: [EngagementEvent] = []) {
        self.added = added
        self.unchanged = unchanged
        self.clicks = clicks
    }
}
