/// What one site's boxes use: the trending box's measure, the reader box's freshness blend, and tag diversity in
/// each. A build's
/// calibration chooses them per site from the site's own history (``Calibration``); without one, the
/// configuration gives them.
public struct SiteTuning: Sendable, Hashable, Codable {
    /// The trending box's order (``TrendingConfiguration/measure``).
    public var trendingMeasure: TrendingMeasure
    /// The weight of hotness in the freshness blend of requests with a reader (``MixConfiguration/freshness``).
    public var freshness: Double
    /// What hotness counts (``MixConfiguration/hotCounts``).
    public var hotCounts: HotCount
    /// Reader-specific hotness ρ (``MixConfiguration/personalHotness``).
    public var personalHotness: Double
    /// Tag diversity (``MixConfiguration/tagDiversity``) in the site's trending boxes (no reader, no seed) and in
    /// boxes for a reader.
    public var trendingDiversity: Bool
    public var readerDiversity: Bool

    public init(
        trendingMeasure: TrendingMeasure, freshness: Double, hotCounts: HotCount, personalHotness: Double,
        trendingDiversity: Bool = true, readerDiversity: Bool = true
    ) {
        self.trendingMeasure = trendingMeasure
        self.freshness = freshness
        self.hotCounts = hotCounts
        self.personalHotness = personalHotness
        self.trendingDiversity = trendingDiversity
        self.readerDiversity = readerDiversity
    }

    /// The configuration's own settings for `site`.
    public init(configuration c: ModelConfiguration, site: Site) {
        self.init(
            trendingMeasure: c.trending.measure, freshness: c.mix.freshness(for: site), hotCounts: c.mix.hotCounts,
            personalHotness: c.mix.personalHotness, trendingDiversity: c.mix.tagDiversity,
            readerDiversity: c.mix.tagDiversity)
    }
}
