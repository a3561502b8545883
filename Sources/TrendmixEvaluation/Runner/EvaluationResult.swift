import Foundation
import Synchronization
import TrendmixCore

/// Everything a report shows about one protocol run.
public struct EvaluationResult: Sendable {
    public var protocolName: String
    public var protocolDescription: String
    public var cases: Int
    public var liveArticles: Int
    public var trainEvents: Int
    public var ks: [Int]
    public var statisticsK: Int
    public var resamples: Int
    public var seed: UInt64
    public var alpha: Double
    public var reference: String
    public var systems: [SystemResult]
    public var siteNames: [String]

    public func system(_ name: String) -> SystemResult? { systems.first { $0.name == name } }
}
