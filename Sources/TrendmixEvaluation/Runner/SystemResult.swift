import Foundation
import Synchronization
import TrendmixCore

/// A system's figures on one split.
public struct SystemResult: Sendable {
    public var name: String
    public var kind: EvaluatedSystem.Kind
    public var summary: String
    public var seconds: Double
    public var emptyLists: Int
    /// k → metric → the value of every case, in case order.
    public var perCase: [Int: [AccuracyMetric: [Double]]]
    public var coverage: Double
    public var crossSiteShare: Double?
    public var tagDiversity: Double?
    public var siteDiversity: Double?
    public var novelty: Double
    public var popularityBias: Double
    public var perSite: [SitePoint]
    /// At the statistics k, per ``ArticleAge`` group: the relevant pairs and the system's hits among them.
    public var byAge: [AgePoint] = []
    /// The ranked lists (longest k), in case order.
    public var lists: [[Int32]]
    /// For a system that shapes its box (``EvaluatedSystem/shapesItsBox``): k → the box of size k of every case,
    /// in case order, from which that cut-off's metrics come. Empty for the others (cut-offs cut ``lists``).
    public var boxes: [Int: [[Int32]]] = [:]
    /// At the statistics k: the bootstrap interval of each metric, and the paired test against the reference.
    public var intervals: [AccuracyMetric: Interval] = [:]
    public var tests: [AccuracyMetric: PairedTest] = [:]

    public func mean(_ metric: AccuracyMetric, at k: Int) -> Double {
        let values = perCase[k]?[metric] ?? []
        return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
