/// How a build calibrates each site (``Calibration``): a rolling backtest on the site's own recent history,
/// before the build's `now`, choosing what its boxes use.
public struct CalibrationConfiguration: Sendable, Hashable, Codable {
    /// On by default: a deployment is data the defaults were never tuned on (issue 20). Off, every site uses the
    /// configuration's settings (`Evaluation/configs/uncalibrated.json`).
    public var enabled = true
    /// The backtest's horizon: each origin's relevance is the engagement in the next this-long.
    public var horizon: Duration = .days(7)
    /// Weekly origins of the trending box's backtest, going back from `now` − horizon.
    public var trendingOrigins = 8
    /// At most this many weekly origins of the reader box's backtest (each a model built on the events before it),
    /// going back from `now` − horizon until every site with cases has ``targetReaderCases``: a big site is judged
    /// at one origin, a small one gathers its cases over weeks.
    public var readerOrigins = 26
    public var targetReaderCases = 300
    /// A site with fewer (site, origin) trending cases, or fewer reader cases, than these borrows the pooled
    /// choice.
    public var minimumTrendingCases = 4
    public var minimumReaderCases = 20
    /// At most this many reader cases per site and origin (a seeded sample of them).
    public var maximumReaderCases = 100
    /// The reader box's backtest model counts co-occurrence over a seeded sample of the readers, at most this
    /// many events (affinities stay whole): a build with calibration must stay within 1.5 times one without.
    public var maximumSampledEvents = 250_000
    /// Settings the calibration leaves as the configuration gives them.
    public var pinned: Set<Knob> = []

    /// What a calibration chooses.
    public enum Knob: String, Sendable, Hashable, Codable, CaseIterable {
        case trendingMeasure = "trending.measure"
        case freshness = "mix.freshness"
        case hotCounts = "mix.hot_counts"
        case personalHotness = "mix.personal_hotness"
        case tagDiversity = "mix.tag_diversity"
    }

    public init() {}
}
