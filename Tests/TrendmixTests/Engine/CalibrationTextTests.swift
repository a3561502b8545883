import Testing
import Trendmix
import TrendmixCore

@testable import TrendmixStore

@Suite struct CalibrationTextTests {
    static let calibration: Calibration = {
        var news = SiteTuning(
            trendingMeasure: .newest, freshness: 0.85, hotCounts: .age, personalHotness: 0, trendingDiversity: false,
            readerDiversity: true)
        news.readerDiversity = false
        let blog = SiteTuning(trendingMeasure: .growth, freshness: 0.6, hotCounts: .readers, personalHotness: 1)
        return Calibration(
            sites: [
                SiteCalibration(
                    site: "news", tuning: news, trendingSource: .own, readerSource: .own,
                    trending: Backtest(metric: "nDCG@10 graded", cases: 8, chosen: 0.61234, configured: 0.5),
                    reader: Backtest(metric: "nDCG@10", cases: 1, chosen: 1, configured: 0.25)),
                SiteCalibration(
                    site: "travel-guide", tuning: blog, trendingSource: .configured, readerSource: .pooled,
                    trending: nil, reader: nil),
            ], horizonDays: 7, trendingOrigins: 8, readerOrigins: 3)
    }()

    @Test func buildAndStatsPrintEachSitesChoiceAndItsFigures() {
        #expect(
            Self.calibration.lines == [
                "calibration: each site's own 8 weeks before the build for the trending box (next week's engagement), "
                    + "its last 3 for the reader box (next reads)",
                "  news          trending box: newest, tag diversity off (its own backtest; 8 cases, nDCG@10 graded "
                    + "0.612 against 0.500 as configured)",
                "                reader box: freshness 0.850, hot age, reader hotness 0.000, tag diversity off (its own "
                    + "backtest; 1 case, nDCG@10 1.000 against 0.250 as configured)",
                "  travel-guide  trending box: growth, tag diversity on (as configured)",
                "                reader box: freshness 0.600, hot readers, reader hotness 1.000, tag diversity on (the "
                    + "pooled choice)",
            ])
        let stats = StoreStatistics(
            sites: [], eventsByType: [:], articles: 0, events: 0, readers: 0, crossSiteReaders: 0, tags: 0,
            dailyRows: 0, links: 0, firstEvent: nil, lastEvent: nil, calibration: Self.calibration)
        #expect(stats.text.hasSuffix(Self.calibration.lines.joined(separator: "\n")))
        var none = stats
        none.calibration = nil
        #expect(!none.text.contains("calibration"))
    }

    @Test func theHeaderSaysHowManyWeeksTheReaderBacktestJudgedAndWhyAThinChoiceWasMade() {
        var c = Self.calibration
        c.readerOrigins = 0
        #expect(c.lines[0].hasSuffix("engagement), no week with a reader's next reads for the reader box"))
        c.readerOrigins = 1
        #expect(c.lines[0].hasSuffix("engagement), its last week for the reader box (next reads)"))
        c.sites[1].readerSource = .thin
        c.sites[1].reader = Backtest(metric: "nDCG@10", cases: 2, chosen: 0.5, configured: 0)
        #expect(
            c.lines[4].hasSuffix(
                "(too few cases to choose by: newest first; 2 cases, nDCG@10 0.500 against 0.000 as configured)"))
    }
}
