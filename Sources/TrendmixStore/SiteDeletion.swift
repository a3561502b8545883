import TrendmixCore

/// What deleting a site removed.
public struct SiteDeletion: Sendable, Equatable {
    public var articles = 0
    public var events = 0
    public var readers = 0

    public init(articles: Int = 0, events: Int = 0, readers: Int = 0) {
        self.articles = articles
        self.events = events
        self.readers = readers
    }
}
