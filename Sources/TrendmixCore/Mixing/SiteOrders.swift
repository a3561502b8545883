/// One site's serving orders, derived from its articles' trending scores and hotness: computed the same way
/// when a model is assembled and when posted engagement changes the site's scores.
struct SiteOrders {
    /// The articles with engagement in the trending window (recent rate at least the site's floor), by trending
    /// score, best first, ties by index.
    var trending: [Int32]
    /// Every article of the site by hotness, best first, ties by index: the freshness blend's candidates.
    var hot: [Int32]
    /// The largest hotness (the freshness blend's scale), 0 for a site without articles.
    var hottest: Double
    /// How alive the site is now, 0–1: min(1, 2 · Σ recent rate / Σ baseline rate), 0 without a baseline.
    var activity: Double
    /// Its engagement now: Σ recent rate of its articles (weighted events a day), what its share of a box's
    /// slots follows (``MixConfiguration/readerQuotasByEngagement``).
    var recent: Double

    init(trending: [Int32], hot: [Int32], hottest: Double, activity: Double, recent: Double) {
        self.trending = trending
        self.hot = hot
        self.hottest = hottest
        self.activity = activity
        self.recent = recent
    }

    /// - Parameters:
    ///   - articles: every article of the site, in any order: index order when a model is assembled, the previous
    ///     hot order when posted engagement changed the scores (sorting it again is then nearly free).
    ///   - sumsInHotOrder: run the activity sums over the new hot order instead of `articles` as given (live
    ///     updates always have; a rebuild sums in index order, so the two can differ in the last bit).
    ///   - floor: the site's least recent rate that counts as trending (``RecommendationModel/trendingFloor``).
    init(
        articles: [Int32], trending t: TrendingScores, hotness: [Double], floor: Double, sumsInHotOrder: Bool = false
    ) {
        trending = Self.trendingOrder(articles.filter { t.recentRate[Int($0)] >= floor }, trending: t)
        hot = articles.sorted {
            hotness[Int($0)] != hotness[Int($1)] ? hotness[Int($0)] > hotness[Int($1)] : $0 < $1
        }
        hottest = hot.first.map { hotness[Int($0)] } ?? 0
        let summed = sumsInHotOrder ? hot : articles
        let recent = summed.reduce(0.0) { $0 + t.recentRate[Int($1)] }
        let usual = summed.reduce(0.0) { $0 + t.baselineRate[Int($1)] }
        activity = usual > 0 ? min(1, 2 * recent / usual) : 0
        self.recent = recent
    }

    /// `articles` by trending score, best first, ties by index.
    static func trendingOrder(_ articles: [Int32], trending t: TrendingScores) -> [Int32] {
        articles.sorted { t.score[Int($0)] != t.score[Int($1)] ? t.score[Int($0)] > t.score[Int($1)] : $0 < $1 }
    }
}
