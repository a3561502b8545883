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

    init(trending: [Int32], hot: [Int32], hottest: Double, activity: Double) {
        self.trending = trending
        self.hot = hot
        self.hottest = hottest
        self.activity = activity
    }

    /// - Parameters:
    ///   - articles: the site's articles in index order (sums run in this order, so a rebuild and a live update
    ///     agree to the last bit).
    ///   - floor: the site's least recent rate that counts as trending (``RecommendationModel/trendingFloor``).
    init(articles: [Int32], trending t: TrendingScores, hotness: [Double], floor: Double) {
        trending = articles.filter { t.recentRate[Int($0)] >= floor }.sorted {
            t.score[Int($0)] != t.score[Int($1)] ? t.score[Int($0)] > t.score[Int($1)] : $0 < $1
        }
        hot = articles.sorted {
            hotness[Int($0)] != hotness[Int($1)] ? hotness[Int($0)] > hotness[Int($1)] : $0 < $1
        }
        hottest = hot.first.map { hotness[Int($0)] } ?? 0
        let recent = articles.reduce(0.0) { $0 + t.recentRate[Int($1)] }
        let usual = articles.reduce(0.0) { $0 + t.baselineRate[Int($1)] }
        activity = usual > 0 ? min(1, 2 * recent / usual) : 0
    }
}
