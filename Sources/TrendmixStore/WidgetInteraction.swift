public import TrendmixCore

/// An item a widget showed (an impression) or a reader clicked, with where and at which position.
public struct WidgetInteraction: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case impression, click }

    public var sourceID: String
    public var kind: Kind
    /// Where the box sits on the page, as the partner names it (`sidebar`, `below-article`, ...).
    public var placement: String
    /// The site showing the box, and the article it is under (none for a site box).
    public var host: String
    public var seed: String?
    /// The item: its site and id, and its 1-based position in the box.
    public var site: String
    public var article: String
    public var position: Int
    public var reader: String?
    /// The A/B variant whose box the reader was shown (`serve --variant`), `nil` outside a test.
    public var variant: String?
    public var time: Timestamp

    public init(
        sourceID: String, kind: Kind, placement: String, host: String, seed: String?, site: String, article: String,
        position: Int, reader: String?, variant: String? = nil, time: Timestamp
    ) {
        self.sourceID = sourceID
        self.kind = kind
        self.placement = placement
        self.host = host
        self.seed = seed
        self.site = site
        self.article = article
        self.position = position
        self.reader = reader
        self.variant = variant
        self.time = time
    }
}
