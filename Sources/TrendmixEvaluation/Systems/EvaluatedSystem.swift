import Foundation
public import TrendmixCore

/// A system under evaluation: given a case, its ranked list (best first). Every system ranks the same split's
/// cases over the same live catalogue; built-in ones go through the same ``Recommender`` protocol as the engine.
public struct EvaluatedSystem: Sendable {
    public enum Kind: String, Sendable, Codable { case trendmix, baseline, peer }

    public var name: String
    public var kind: Kind
    /// One line on what the system does, for the report.
    public var summary: String
    /// Whether the system's box of k items is more than the first k of a longer ranking (Trendmix's quotas and
    /// tag diversity reshape the whole box): such a system is asked once per cut-off, and each cut-off's metrics
    /// come from the box of that size, the box that is served. Others are asked once, for the largest cut-off.
    public var shapesItsBox = false
    let rank: @Sendable (_ index: Int, _ case: EvaluationCase, _ k: Int) -> [Int32]

    public init(
        name: String, kind: Kind, summary: String,
        rank: @escaping @Sendable (_ index: Int, _ case: EvaluationCase, _ k: Int) -> [Int32]
    ) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.rank = rank
    }

    /// A ``Recommender`` asked as the engine asks it: a reader's case as `reader`, a session case as `seed` with
    /// the visit before it as `visit`, a trending case as `sites`; no host site, so nothing is left out for being on the same site.
    public init(name: String, kind: Kind, summary: String, recommender: some Recommender) {
        self.init(name: name, kind: kind, summary: summary) { _, c, k in
            let request = RecommendationRequest(
                seed: c.seed, visit: c.seed != nil && c.visit.last == c.seed ? c.visit.dropLast() : c.visit,
                reader: c.reader, k: k, sites: c.site.map { [$0] }, now: c.now)
            return recommender.recommend(request).map(\.article)
        }
    }

    /// A list given from outside (a peer's output), by case index.
    public init(name: String, kind: Kind, summary: String, lists: [[Int32]]) {
        self.init(name: name, kind: kind, summary: summary) { i, _, k in
            i < lists.count ? Array(lists[i].prefix(k)) : []
        }
    }
}

/// A Trendmix configuration built on a split's training events, as a system.
public func trendmixSystem(
    name: String = "Trendmix", split: Split, configuration: ModelConfiguration, summary: String? = nil
) -> EvaluatedSystem {
    let model = RecommendationModel(
        catalogue: split.train.catalogue,
        learned: Calibrator.learn(snapshot: split.train, configuration: configuration, now: split.now),
        builtAt: split.now, configuration: configuration)
    var system = EvaluatedSystem(
        name: name, kind: .trendmix,
        summary: summary
            ?? "co-occurrence (\(configuration.cooccurrence.measure.rawValue)) → personal → trending → newest mix"
            + (configuration.calibration.enabled ? ", calibrated per site on the training events" : ""),
        recommender: model)
    system.shapesItsBox = true
    return system
}

extension ScoreRanker {
    init(scores: [Double], live: [Bool], site: [Int32], seen: [Int32: Set<Int32>]) {
        self.scores = scores
        self.live = live
        self.site = site
        self.seen = seen
    }
}

extension RecencyConfiguration {
    /// One half-life for every site.
    static func uniform(_ halfLife: Duration) -> RecencyConfiguration {
        var c = RecencyConfiguration()
        c.defaultHalfLife = halfLife
        c.byKind = [:]
        return c
    }
}

extension TrendingConfiguration {
    static func measure(_ measure: TrendingMeasure) -> TrendingConfiguration {
        var c = TrendingConfiguration()
        c.measure = measure
        return c
    }
}
