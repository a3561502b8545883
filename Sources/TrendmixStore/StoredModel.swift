public import TrendmixCore

/// A model as a store keeps it: what the build learned, the catalogue its rows are aligned to, and its stamp.
/// A plain value: a store saves and loads it without knowing how it was computed or how it is served.
public struct StoredModel: Sendable {
    public var stamp: ModelStamp
    /// The catalogue the learned rows are aligned to. When saving: the catalogue of the snapshot the model was
    /// built from (its `articleKeys` name the rows). When loading: the store's current catalogue, articles
    /// imported after the build included (they have no neighbours and no trending score yet), articles deleted
    /// since left out.
    public var catalogue: Catalogue
    public var learned: LearnedModel

    public init(stamp: ModelStamp, catalogue: Catalogue, learned: LearnedModel) {
        self.stamp = stamp
        self.catalogue = catalogue
        self.learned = learned
    }
}
