import Foundation
public import TrendmixCore

extension Calibration {
    /// What the calibration chose per site and the backtest figures behind it, as `trendmix build` prints it and
    /// `trendmix stats` shows it: one line per site and box.
    public var lines: [String] {
        let reader =
            switch readerOrigins {
            case 0: "no week with a reader's next reads for the reader box"
            case 1: "its last week for the reader box (next reads)"
            default: "its last \(readerOrigins) for the reader box (next reads)"
            }
        var out = [
            "calibration: each site's own \(trendingOrigins) weeks before the build for the trending box (next week's "
                + "engagement), \(reader)"
        ]
        let width = sites.map(\.site.count).max() ?? 0
        for entry in sites {
            let name = entry.site.padding(toLength: width, withPad: " ", startingAt: 0)
            let t = entry.tuning
            out.append(
                "  \(name)  trending box: \(t.trendingMeasure.rawValue), tag diversity "
                    + "\(t.trendingDiversity ? "on" : "off") " + Self.describe(entry.trendingSource, entry.trending))
            out.append(
                "  \(String(repeating: " ", count: width))  reader box: freshness \(Self.fixed(t.freshness)), hot "
                    + "\(t.hotCounts.rawValue), reader hotness \(Self.fixed(t.personalHotness)), tag diversity "
                    + "\(t.readerDiversity ? "on" : "off") " + Self.describe(entry.readerSource, entry.reader))
        }
        return out
    }

    private static func describe(_ source: SiteCalibration.Source, _ backtest: Backtest?) -> String {
        let origin =
            switch source {
            case .own: "its own backtest"
            case .pooled: "the pooled choice"
            case .configured: "as configured"
            case .thin: "too few cases to choose by: newest first"
            }
        guard let b = backtest else { return "(\(origin))" }
        return "(\(origin); \(b.cases) case\(b.cases == 1 ? "" : "s"), \(b.metric) \(fixed(b.chosen)) against "
            + "\(fixed(b.configured)) as configured)"
    }

    private static func fixed(_ x: Double) -> String { String(format: "%.3f", x) }
}
