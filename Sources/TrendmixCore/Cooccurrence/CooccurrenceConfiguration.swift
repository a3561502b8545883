/// What the co-occurrence step computes and how.
public struct CooccurrenceConfiguration: Sendable, Hashable, Codable {
    public var unit: BasketUnit = .reader
    /// Events whose type weighs 0 here put no article in a basket.
    public var weights: EventWeights = .default
    /// Distinct articles kept per basket (the most recent); `nil` for all.
    public var maxItemsPerBasket: Int? = 500
    /// Pairs seen in fewer baskets are dropped (SAR's `threshold`).
    public var minPairCount: Int = 1
    public var measure: SimilarityMeasure = .logLikelihood
    /// Neighbours kept per article; `nil` keeps every pair (SAR).
    public var neighbours: Int? = 50
    /// Cross-occurrence: when set, the seed side's baskets hold only events of `indicator` types and the
    /// recommended side's only `target` types ("readers who viewed this went on to comment on that").
    public var crossOccurrence: CrossOccurrence?
    /// When set, the rows hold EASE's item-item weights instead of `measure` (see ``EASEConfiguration``):
    /// positive weights only, the best `neighbours` per article. Not with `crossOccurrence`.
    public var ease: EASEConfiguration?

    public struct CrossOccurrence: Sendable, Hashable, Codable {
        public var indicator: Set<EventType>
        public var target: Set<EventType>

        public init(indicator: Set<EventType>, target: Set<EventType>) {
            self.indicator = indicator
            self.target = target
        }
    }

    public init() {}
}
