/// What a build learns from a snapshot's events: the part of a model a store keeps. Everything else a
/// ``RecommendationModel`` holds (orders per site, hotness, tag similarity, readers' strongest affinities) is a
/// serving cache derived from this and the catalogue when the model is assembled, and is never stored.
///
/// Adding a learned array means adding it here, to ``init(snapshot:configuration:now:)``, and to each store's
/// save and load; the model-store contract suite compares a loaded `LearnedModel` with the saved one whole, so a
/// store that forgets the new array fails it.
public struct LearnedModel: Sendable, Equatable {
    /// External reader ids, and the store's row ids of those readers (see ``Snapshot/readerKeys``).
    public var readers: [String]
    public var readerKeys: [Int64]
    /// "Readers of this also read": neighbours over reader baskets.
    public var neighbours: NeighbourIndex
    /// "Read in the same visit": neighbours over session baskets; rows are empty where it was not built.
    public var sessionNeighbours: NeighbourIndex
    public var trending: TrendingScores
    public var affinity: ReaderAffinity
    /// What the build's calibration chose per site, `nil` where none ran (``SiteTuning``).
    public var calibration: Calibration?

    public init(
        readers: [String], readerKeys: [Int64] = [], neighbours: NeighbourIndex, sessionNeighbours: NeighbourIndex,
        trending: TrendingScores, affinity: ReaderAffinity, calibration: Calibration? = nil
    ) {
        self.calibration = calibration
        self.readers = readers
        self.readerKeys = readerKeys
        self.neighbours = neighbours
        self.sessionNeighbours = sessionNeighbours
        self.trending = trending
        self.affinity = affinity
    }

    /// Learns every part from a snapshot; the trending scores use each site's measure as `calibration` chose it
    /// (TrendmixEvaluation's `Calibrator` computes one).
    /// - Parameters:
    ///   - neighbours: the reader rows when learned elsewhere (EASE's, from TrendmixLinearAlgebra's
    ///     `NeighbourIndex.learned`, or a partitioned build's); `nil` counts co-occurrence here.
    ///   - sessionNeighbours: the session rows when learned elsewhere (a partitioned build's).
    /// - Complexity: dominated by the co-occurrence step (see ``NeighbourIndex``), on all cores.
    public init(
        snapshot: Snapshot, configuration: ModelConfiguration, now: Timestamp, calibration: Calibration? = nil,
        neighbours: NeighbourIndex? = nil, sessionNeighbours: NeighbourIndex? = nil
    ) {
        let neighbours = neighbours ?? NeighbourIndex(snapshot: snapshot, configuration: configuration.cooccurrence)
        let sessionNeighbours =
            sessionNeighbours ?? Self.sessionNeighbours(snapshot: snapshot, configuration: configuration)
        let trending = TrendingScores(
            snapshot: snapshot, weights: configuration.weights, recency: configuration.recency,
            configuration: configuration.trending, now: now,
            measures: calibration?.tuning(for: snapshot.sites, configuration: configuration).map(\.trendingMeasure))
        let affinity = ReaderAffinity(
            snapshot: snapshot, weights: configuration.weights,
            decay: configuration.affinityHalfLife.map { RecencyDecay(halfLife: $0) }, now: now)
        self.init(
            readers: snapshot.readers, readerKeys: snapshot.readerKeys, neighbours: neighbours,
            sessionNeighbours: sessionNeighbours, trending: trending, affinity: affinity, calibration: calibration)
    }

    /// "Read in the same visit": the session rows of `articles` (every article when `nil`), or empty rows where
    /// the configuration asks for none or the events carry no sessions.
    public static func sessionNeighbours(
        snapshot: Snapshot, configuration: ModelConfiguration, articles: Range<Int>? = nil
    ) -> NeighbourIndex {
        configuration.sessionCooccurrence.flatMap { c in
            snapshot.events.session.contains { $0 >= 0 }
                ? NeighbourIndex(snapshot: snapshot, configuration: c, articles: articles) : nil
        } ?? .empty(articleCount: snapshot.articles.count)
    }
}
