import Testing
import TrendmixCore

@testable import TrendmixEvaluation

@Suite struct SweepTests {
    @Test func theGridHasEveryPointOnceWithItsKnobs() {
        let points = Sweep().points(base: ModelConfiguration())
        // 3 half-lives × 5 measures × 2 weight sets × 2 mixes × (freshness 0, or 3 freshness × 3 hot variants).
        #expect(points.count == 3 * 5 * 2 * 2 * (1 + 3 * 3))
        #expect(Set(points.map(\.label)).count == points.count)
        let hot = points.first { $0.label.hasSuffix("freshness 0.85, hot decayed rate") }
        #expect(hot?.configuration.mix.hotGravity == nil && hot?.configuration.mix.freshness == 0.85)
        #expect(hot?.configuration.mix.personalHotness == 0)
        let reader = points.first { $0.label.hasSuffix("freshness 0.6, hot gravity 1.2, reader-specific") }
        #expect(reader?.configuration.mix.hotGravity == 1.2 && reader?.configuration.mix.personalHotness == 1)
    }

    @Test func aPointOverRollingOriginsIsTheSameAsItsPooledEvaluation() throws {
        let splits = try EvaluationProtocol.rollingTemporal(.fraction(0.7), horizon: .days(5), origins: 3)
            .splits(randomSnapshot(), weights: .default)
        var sweep = Sweep()
        sweep.halfLives = [30]
        sweep.measures = [.cosine]
        sweep.weights = [("default", .default)]
        sweep.mixes = [("plain order", false, false)]
        sweep.freshness = [0.7]
        sweep.hot = [("hot gravity 1.2", 1.2, 1)]
        let rows = sweep.run(splits: splits, base: ModelConfiguration(), k: 10)
        #expect(rows.count == 1)
        let c = rows[0].point.configuration
        var options = Evaluation.Options()
        options.ks = [10]
        options.statisticsK = 10
        options.resamples = 0
        let direct = Evaluation(
            folds: splits.map { ($0, [trendmixSystem(split: $0, configuration: c)]) }, options: options
        ).run()
        for metric in AccuracyMetric.allCases {
            #expect(rows[0].means[metric] == direct.systems[0].mean(metric, at: 10))
        }
        #expect((rows[0].means[.hitRate] ?? 0) > 0)
    }
}
