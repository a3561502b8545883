/// Everything the scoring core reads, in compact columnar form with dense integer ids.
///
/// Sites, articles, tags, readers and sessions are numbered `0..<count` in the order the store listed them;
/// events and daily rows are parallel arrays (one entry per row) rather than arrays of structs, so the hot
/// loops touch only the columns they need. A snapshot is built once per model build (from a store by
/// `ModelStore.snapshot(from:to:)`, or by hand in tests) and never changes.
public struct Snapshot: Sendable {
    public var sites: [Site]
    public var articles: Articles
    /// Tag names; an article's tags are indices into this array.
    public var tags: [String]
    /// External reader ids (cross-site identities).
    public var readers: [String]
    /// How many distinct sessions the events name.
    public var sessionCount: Int
    public var events: Events
    public var daily: Daily
    /// The store's own keys of the articles and readers (row ids), opaque to the core: they let a built model
    /// be saved back against the rows it came from. Empty for snapshots built by hand.
    public var articleKeys: [Int64] = []
    public var readerKeys: [Int64] = []

    /// Article columns.
    public struct Articles: Sendable, Equatable {
        public var site: [Int32] = []
        public var externalID: [String] = []
        public var title: [String?] = []
        public var url: [String?] = []
        /// Milliseconds since the epoch, `nil` where unknown.
        public var publishedAt: [Int64?] = []
        /// Milliseconds after which the article is never shown, `nil` for none.
        public var expiresAt: [Int64?] = []
        /// What a richer card shows (image, author, section, description), `nil` where the source gives none.
        public var card: [ArticleCard?] = []
        /// `tagOffsets[a]..<tagOffsets[a + 1]` indexes `tagList` for article `a` (CSR).
        public var tagOffsets: [Int32] = [0]
        public var tagList: [Int32] = []

        public init() {}

        public var count: Int { site.count }

        /// The tag indices of article `a`, in the source's order.
        public func tags(of a: Int) -> ArraySlice<Int32> {
            tagList[Int(tagOffsets[a])..<Int(tagOffsets[a + 1])]
        }

        /// Appends an article.
        public mutating func append(
            site: Int32, externalID: String, title: String? = nil, url: String? = nil, publishedAt: Int64? = nil,
            tags: some Sequence<Int32> = [Int32](), expiresAt: Int64? = nil, card: ArticleCard? = nil
        ) {
            self.site.append(site)
            self.externalID.append(externalID)
            self.title.append(title)
            self.url.append(url)
            self.publishedAt.append(publishedAt)
            self.expiresAt.append(expiresAt)
            self.card.append(card?.isEmpty == true ? nil : card)
            tagList.append(contentsOf: tags)
            tagOffsets.append(Int32(tagList.count))
        }
    }

    /// Event columns.
    public struct Events: Sendable, Equatable {
        public var article: [Int32] = []
        /// Reader index, or -1 for an anonymous event.
        public var reader: [Int32] = []
        /// Session index, or -1 where the source has no sessions.
        public var session: [Int32] = []
        public var type: [EventType] = []
        /// Milliseconds since the epoch.
        public var time: [Int64] = []
        public var value: [Double] = []

        public init() {}

        public var count: Int { article.count }

        public mutating func append(
            article: Int32, reader: Int32, session: Int32 = -1, type: EventType, time: Int64, value: Double = 1
        ) {
            self.article.append(article)
            self.reader.append(reader)
            self.session.append(session)
            self.type.append(type)
            self.time.append(time)
            self.value.append(value)
        }

        public mutating func reserveCapacity(_ n: Int) {
            article.reserveCapacity(n)
            reader.reserveCapacity(n)
            session.reserveCapacity(n)
            type.reserveCapacity(n)
            time.reserveCapacity(n)
            value.reserveCapacity(n)
        }
    }

    /// Daily aggregate columns (sources that give counts, not readers).
    public struct Daily: Sendable, Equatable {
        public var article: [Int32] = []
        /// Days since 1970-01-01.
        public var day: [Int64] = []
        public var views: [Int64] = []
        public var votes: [Int64] = []
        public var score: [Int64] = []
        public var comments: [Int64] = []

        public init() {}

        public var count: Int { article.count }

        public mutating func append(
            article: Int32, day: Int64, views: Int64, votes: Int64, score: Int64, comments: Int64
        ) {
            self.article.append(article)
            self.day.append(day)
            self.views.append(views)
            self.votes.append(votes)
            self.score.append(score)
            self.comments.append(comments)
        }
    }

    public init(
        sites: [Site], articles: Articles, tags: [String], readers: [String], sessionCount: Int = 0,
        events: Events, daily: Daily = Daily()
    ) {
        self.sites = sites
        self.articles = articles
        self.tags = tags
        self.readers = readers
        self.sessionCount = sessionCount
        self.events = events
        self.daily = daily
    }

    /// The latest event time, or `nil` without events.
    public var lastEventTime: Timestamp? {
        events.time.max().map { Timestamp(milliseconds: $0) }
    }

    /// The same snapshot with only the events and daily rows at or after `start`.
    /// - Complexity: O(E + D).
    public func keepingEvents(from start: Timestamp) -> Snapshot {
        var copy = self
        var events = Events()
        for i in 0..<self.events.count where self.events.time[i] >= start.milliseconds {
            events.append(
                article: self.events.article[i], reader: self.events.reader[i], session: self.events.session[i],
                type: self.events.type[i], time: self.events.time[i], value: self.events.value[i])
        }
        copy.events = events
        var daily = Daily()
        for i in 0..<self.daily.count where self.daily.day[i] >= start.day {
            daily.append(
                article: self.daily.article[i], day: self.daily.day[i], views: self.daily.views[i],
                votes: self.daily.votes[i], score: self.daily.score[i], comments: self.daily.comments[i])
        }
        copy.daily = daily
        return copy
    }
}
