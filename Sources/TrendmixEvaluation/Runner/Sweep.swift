public import TrendmixCore

/// A grid over Trendmix's knobs, each point built and ranked on the same split, reporting the best
/// configuration per metric.
public struct Sweep: Sendable {
    /// Reader-affinity and trending half-lives, in days.
    public var halfLives: [Double] = [7, 30, 90]
    public var measures: [SimilarityMeasure] = [.count, .jaccard, .cosine, .lift, .logLikelihood]
    /// Named event-weight sets.
    public var weights: [(name: String, weights: EventWeights)] = [
        ("default", .default), ("uniform", .uniform),
    ]
    /// The freshness blend's weight for reader requests, on every site kind.
    public var freshness: [Double] = [0, 0.3, 0.6, 0.85]
    /// What "hot" means in the blend (``MixConfiguration/hotGravity``: a lifetime-rate gravity, or `nil` for the
    /// decayed engagement rate) and how a reader's evidence meets it (``MixConfiguration/personalHotness``).
    public var hot: [(name: String, gravity: Double?, personalHotness: Double)] = [
        ("hot decayed rate", nil, 0), ("hot gravity 1.2", 1.2, 0), ("hot gravity 1.2, reader-specific", 1.2, 1),
    ]
    /// (site quotas, tag diversity) of the mix.
    public var mixes: [(name: String, quotas: Bool, diversity: Bool)] = [
        ("quotas+diversity", true, true), ("plain order", false, false),
    ]

    public init() {}

    /// One grid point's configuration and label.
    public struct Point: Sendable {
        public var label: String
        public var configuration: ModelConfiguration
    }

    /// Every grid point, starting from `base`.
    public func points(base: ModelConfiguration) -> [Point] {
        var out: [Point] = []
        for h in halfLives {
            for m in measures {
                for w in weights {
                    for mix in mixes {
                        for f in freshness {
                            let variants =
                                f > 0 ? hot : [("", base.mix.hotGravity, base.mix.personalHotness)]
                            for v in variants {
                                var c = base
                                c.mix.hotGravity = v.gravity
                                c.mix.personalHotness = v.personalHotness
                                c.mix.freshness = f
                                c.mix.freshnessByKind = [:]
                                c.affinityHalfLife = .days(h)
                                c.cooccurrence.measure = m
                                c.cooccurrence.weights = w.weights
                                c.weights = w.weights
                                c.mix.siteQuotas = mix.quotas
                                c.mix.tagDiversity = mix.diversity
                                out.append(
                                    Point(
                                        label:
                                            "half-life \(Int(h)) d, \(m.rawValue), \(w.name) weights, \(mix.name), freshness \(f)"
                                            + (f > 0 ? ", " + v.name : ""),
                                        configuration: c))
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Ranks the splits (a protocol's rolling origins, pooled) with every grid point (no intervals: a sweep is
    /// for choosing, the chosen configuration is then evaluated with intervals).
    /// - Returns: per point, the mean of every metric at `k`, in grid order.
    public func run(
        splits: [Split], base: ModelConfiguration, k: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [(point: Point, means: [AccuracyMetric: Double])] {
        var options = Evaluation.Options()
        options.ks = [k]
        options.statisticsK = k
        options.resamples = 0
        let grid = points(base: base)
        return grid.enumerated().map { (i, point) in
            let folds = splits.map { split in
                (split, [trendmixSystem(name: point.label, split: split, configuration: point.configuration)])
            }
            let result = Evaluation(folds: folds, options: options).run()
            progress?(i + 1, grid.count)
            var means: [AccuracyMetric: Double] = [:]
            for metric in AccuracyMetric.allCases { means[metric] = result.systems[0].mean(metric, at: k) }
            return (point, means)
        }
    }

    /// A Markdown section: the best grid point per metric, then the whole grid by nDCG.
    public static func markdown(
        _ rows: [(point: Point, means: [AccuracyMetric: Double])], k: Int, protocolName: String
    ) -> String {
        var out = "## Sweep (\(protocolName), \(rows.count) configurations)\n\nBest per metric at \(k):\n\n"
        out += "| metric | best | configuration |\n|---|---:|---|\n"
        for metric in AccuracyMetric.allCases {
            guard let best = rows.max(by: { ($0.means[metric] ?? 0) < ($1.means[metric] ?? 0) }) else { continue }
            out += "| \(metric.rawValue)@\(k) | \(Report.fixed(best.means[metric] ?? 0)) | \(best.point.label) |\n"
        }
        out += "\nEvery configuration, by nDCG@\(k):\n\n| configuration | HitRate | nDCG | MAP | MRR |\n"
        out += "|---|---:|---:|---:|---:|\n"
        for row in rows.sorted(by: { ($0.means[.ndcg] ?? 0) > ($1.means[.ndcg] ?? 0) }) {
            out += "| \(row.point.label) | \(Report.fixed(row.means[.hitRate] ?? 0)) | "
            out += "\(Report.fixed(row.means[.ndcg] ?? 0)) | \(Report.fixed(row.means[.map] ?? 0)) | "
            out += "\(Report.fixed(row.means[.mrr] ?? 0)) |\n"
        }
        return out + "\n"
    }
}
