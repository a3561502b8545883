import Foundation
import Testing
import TrendmixCore

@testable import TrendmixEvaluation

@Suite struct AxisScaleTests {
    @Test(arguments: [
        // highest, step, steps, labels
        (0.3728, 0.1, 4, ["0.0", "0.1", "0.2", "0.3", "0.4"]),
        (0.0317, 0.01, 4, ["0.00", "0.01", "0.02", "0.03", "0.04"]),
        // 0.2 × 4 = 0.8 leaves more empty space than 0.25 × 3 = 0.75.
        (0.63, 0.25, 3, ["0.00", "0.25", "0.50", "0.75"]),
        // 0.2 × 5 and 0.25 × 4 both reach 1 exactly: fewer gridlines win. A share never gets a line above 1.
        (1.0, 0.25, 4, ["0.00", "0.25", "0.50", "0.75", "1.00"]),
        (0.97, 0.25, 4, ["0.00", "0.25", "0.50", "0.75", "1.00"]),
        // A value on a gridline does not gain a step.
        (0.4, 0.1, 4, ["0.0", "0.1", "0.2", "0.3", "0.4"]),
        (0.0564, 0.02, 3, ["0.00", "0.02", "0.04", "0.06"]),
        (0.07, 0.025, 3, ["0.000", "0.025", "0.050", "0.075"]),
        (1234, 250, 5, ["0", "250", "500", "750", "1000", "1250"]),
        // 2.5 × 3 = 7.5 is closer than 2 × 4 = 8.
        (7, 2.5, 3, ["0.0", "2.5", "5.0", "7.5"]),
    ])
    func roundStepsWithTheLeastEmptySpace(highest: Double, step: Double, steps: Int, labels: [String]) {
        let axis = AxisScale(highest: highest)
        #expect(abs(axis.step - step) < step * 1e-12)
        #expect(axis.steps == steps)
        #expect((0...axis.steps).map(axis.label) == labels)
    }

    @Test func nothingToDrawGetsTheAxisZeroToOne() {
        for highest in [0, -3, .nan, .infinity] {
            let axis = AxisScale(highest: highest)
            #expect(axis.top == 1 && axis.steps == 4, "highest \(highest)")
        }
    }

    @Test func everyAxisReachesItsValueWithRoundExactLabels() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            // Values from 10⁻⁵ to 10⁵.
            let highest = pow(10, Double(random.next() % 10_000) / 1000 - 5) * (1 + Double(random.next() % 1000) / 1000)
            let axis = AxisScale(highest: highest)
            #expect(axis.top >= highest * (1 - 1e-9), "\(highest)")
            #expect((3...6).contains(axis.steps), "\(highest)")
            // The step is 1, 2, 2.5 or 5 times a power of ten.
            let mantissa = axis.step / pow(10, log10(axis.step).rounded(.down))
            #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "\(highest): step \(axis.step)")
            // No gridline is wasted: one step fewer would not reach the value.
            #expect(axis.top - axis.step < highest, "\(highest)")
            // Each label reads back as its gridline.
            for i in 0...axis.steps {
                let value = Double(axis.label(i)) ?? .nan
                #expect(abs(value - axis.step * Double(i)) <= axis.step * 1e-9, "\(highest): \(axis.label(i))")
            }
        }
    }
}

@Suite struct ReportChartTests {
    /// One case per site, named `names`; a fixed system ranks article 0 first in every case, the relevant one.
    static func result(sites names: [String], resamples: Int = 0) -> EvaluationResult {
        var articles = Snapshot.Articles()
        for (s, _) in names.enumerated() { articles.append(site: Int32(s), externalID: "a\(s)", publishedAt: 0) }
        let train = Snapshot(
            sites: names.enumerated().map { Site(slug: "s\($0.offset)", name: $0.element, kind: "news", baseURL: "") },
            articles: articles, tags: [], readers: [], events: Snapshot.Events())
        let now = Timestamp(milliseconds: 86_400_000)
        let cases = names.indices.map { EvaluationCase(group: Int32($0), relevance: [0: 1], now: now) }
        let split = Split(
            name: "t", description: "t", train: train, cases: cases, now: now,
            live: [Bool](repeating: true, count: names.count), removeSeen: false)
        let system = EvaluatedSystem(name: "fixed", kind: .baseline, summary: "fixed") { _, _, _ in
            Array(0..<Int32(names.count))
        }
        var options = Evaluation.Options()
        options.ks = [10]
        options.statisticsK = 10
        options.resamples = resamples
        return Evaluation(split: split, systems: [system], options: options).run()
    }

    /// Each site's name longer than the last but one; the per-site chart must be wide and tall enough for the
    /// turned labels.
    @Test func perSiteChartMakesRoomForItsLongestLabel() throws {
        let names = ["A", "A much longer site name, for the layout", "Quantum Computing Meta"]
        let chart = Report.siteChart(Self.result(sites: names))
        let size = try #require(chart.firstMatch(of: /<svg width="(\d+)" height="(\d+)"/))
        let (width, height) = (Double(size.1) ?? 0, Double(size.2) ?? 0)
        // The longest label is the second group's: it starts at 40 + group + 4 and runs 0.87 × 5.6 px a character.
        let group = 9.0 + 14
        let longest = Double(names[1].count) * 5.6
        #expect(width >= 40 + group + 4 + longest * 0.87)
        #expect(height >= 200 + longest * 0.5)
        // The gridlines are labelled with round values: every site scores nDCG 1 (article 0 first), so 0 to 1.
        #expect(chart.contains(">0.25</text>") && chart.contains(">1.00</text>"))
    }

    /// The interval chart has a round value axis under its bars, and the longest whisker ends on or before its top.
    @Test func intervalChartHasARoundValueAxis() throws {
        let chart = Report.intervalChart(Self.result(sites: ["a", "b", "c"], resamples: 50), metric: .ndcg)
        let labels = chart.matches(of: /text-anchor="middle" font-size="10" fill="#6b7280">([0-9.]+)<\/text>/).map {
            String($0.1)
        }
        #expect(labels == ["0.00", "0.25", "0.50", "0.75", "1.00"])
        // nDCG 1 in every case: the bar runs from x = 170 to the axis's top at 500 − 60.
        #expect(chart.contains("<rect x=\"170\" y=\"9.0\" width=\"270.0\""))
        #expect(chart.contains("<line x1=\"440.0\" x2=\"440.0\" y1=\"4\""))
    }
}
