/// What a build's calibration chose for each site, and the backtest figures it chose by: stored with the model,
/// printed by `trendmix build`, shown by `trendmix stats` and named in explanations.
public struct Calibration: Sendable, Hashable, Codable {
    /// One entry per site of the catalogue the model was built on, in catalogue order.
    public var sites: [SiteCalibration]
    /// The backtest's horizon (days) and its origins: the trending box was judged at `trendingOrigins` weekly
    /// origins before the build's `now`, the reader box at `readerOrigins`.
    public var horizonDays: Double
    public var trendingOrigins: Int
    public var readerOrigins: Int

    public init(sites: [SiteCalibration], horizonDays: Double, trendingOrigins: Int, readerOrigins: Int) {
        self.sites = sites
        self.horizonDays = horizonDays
        self.trendingOrigins = trendingOrigins
        self.readerOrigins = readerOrigins
    }

    /// Each of `sites`' tuning: the calibrated one where this calibration has the site (by slug), else the
    /// configuration's.
    public func tuning(for sites: [Site], configuration: ModelConfiguration) -> [SiteTuning] {
        zip(sites, entries(for: sites)).map { site, entry in
            entry?.tuning ?? SiteTuning(configuration: configuration, site: site)
        }
    }

    /// This calibration's entry for each of `sites` (by slug), `nil` for a site it did not see.
    public func entries(for sites: [Site]) -> [SiteCalibration?] {
        var bySlug: [String: SiteCalibration] = [:]
        for entry in self.sites { bySlug[entry.site] = entry }
        return sites.map { bySlug[$0.slug] }
    }
}

/// One site's calibration.
public struct SiteCalibration: Sendable, Hashable, Codable {
    /// Where a choice came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// The site's own backtest.
        case own
        /// The pooled choice of every site's backtest: the site had too little history of its own.
        case pooled
        /// The configuration: pinned there, or no backtest had a case.
        case configured
        /// Too few cases in every site's backtest together to choose by: the reader box's newest-first setting,
        /// which needs no evidence (``CalibrationConfiguration/minimumReaderCases``).
        case thin
    }

    /// The site's slug.
    public var site: String
    public var tuning: SiteTuning
    /// Where the trending box's measure and the reader box's settings came from.
    public var trendingSource: Source
    public var readerSource: Source
    /// The figures behind them (`nil` where the site had no case).
    public var trending: Backtest?
    public var reader: Backtest?

    public init(
        site: String, tuning: SiteTuning, trendingSource: Source, readerSource: Source, trending: Backtest?,
        reader: Backtest?
    ) {
        self.site = site
        self.tuning = tuning
        self.trendingSource = trendingSource
        self.readerSource = readerSource
        self.trending = trending
        self.reader = reader
    }
}

/// A backtest's figures for one site and one box: the mean of the box's metric over the site's cases, for the
/// chosen setting and for the configuration's own.
public struct Backtest: Sendable, Hashable, Codable {
    /// What was measured: "nDCG@10 graded" (the trending box, against next week's engagement) or "nDCG@10" (the
    /// reader box, against next reads).
    public var metric: String
    public var cases: Int
    public var chosen: Double
    public var configured: Double

    public init(metric: String, cases: Int, chosen: Double, configured: Double) {
        self.metric = metric
        self.cases = cases
        self.chosen = chosen
        self.configured = configured
    }
}
