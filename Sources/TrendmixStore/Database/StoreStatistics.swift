public import TrendmixCore

/// What a store holds: counts per site and per event type, readers and the time span.
public struct StoreStatistics: Equatable, Sendable, Codable {
    public struct SiteCounts: Equatable, Sendable, Codable {
        public var slug: String
        public var name: String
        public var kind: String
        public var articles: Int
        public var events: Int
        /// Readers with at least one event on this site.
        public var readers: Int
        public var dailyRows: Int
        public var firstEvent: Timestamp?
        public var lastEvent: Timestamp?
    }

    public var sites: [SiteCounts]
    /// Event counts by type name, types with no events left out.
    public var eventsByType: [String: Int]
    public var articles: Int
    public var events: Int
    public var readers: Int
    /// Readers with events on more than one site.
    public var crossSiteReaders: Int
    public var tags: Int
    public var dailyRows: Int
    public var links: Int
    public var firstEvent: Timestamp?
    public var lastEvent: Timestamp?
    /// What the stored model's calibration chose per site, `nil` when no model or one built without it.
    public var calibration: Calibration? = nil
}
