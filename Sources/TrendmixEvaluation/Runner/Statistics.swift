import TrendmixCore

/// A mean with its bootstrap 95 % percentile interval.
public struct Interval: Sendable, Hashable {
    public var mean: Double
    public var low: Double
    public var high: Double
}

/// A paired comparison of two systems on the same cases.
public struct PairedTest: Sendable, Hashable {
    /// Mean of (this system − reference) over the cases.
    public var difference: Double
    /// Two-sided p-value of the paired bootstrap test (differences shifted to mean zero).
    public var p: Double
    public var significant: Bool
}

/// Case-level bootstrap statistics. Every call draws the same resamples (the same seed), so intervals of two
/// systems are computed on the same resampled case sets, and a paired test resamples the per-case differences.
public struct Statistics: Sendable {
    public var resamples: Int
    public var seed: UInt64
    public var alpha: Double

    public init(resamples: Int = 1000, seed: UInt64 = 42, alpha: Double = 0.05) {
        self.resamples = resamples
        self.seed = seed
        self.alpha = alpha
    }

    /// Resampled means of `values`: `resamples` draws of n cases with replacement.
    func bootstrapMeans(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 0, resamples > 0 else { return [] }
        var random = SplitMix64(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        values.withUnsafeBufferPointer { v in
            for b in 0..<resamples {
                var sum = 0.0
                for _ in 0..<n { sum += v[random.next(below: n)] }
                means[b] = sum / Double(n)
            }
        }
        return means
    }

    /// The mean and its percentile interval at 1 − alpha (2.5th and 97.5th percentiles by default).
    public func interval(_ values: [Double]) -> Interval {
        guard !values.isEmpty else { return Interval(mean: 0, low: 0, high: 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let means = bootstrapMeans(values).sorted()
        guard !means.isEmpty else { return Interval(mean: mean, low: mean, high: mean) }
        return Interval(mean: mean, low: quantile(means, alpha / 2), high: quantile(means, 1 - alpha / 2))
    }

    /// The paired bootstrap test of H0 "the two systems have the same mean": the per-case differences are shifted
    /// to mean zero and resampled; p is the share of resampled means at least as far from zero as the observed
    /// one (with the usual +1 correction, so p is never 0).
    public func pairedTest(_ values: [Double], _ reference: [Double]) -> PairedTest {
        precondition(values.count == reference.count, "a paired test needs the same cases")
        guard !values.isEmpty else { return PairedTest(difference: 0, p: 1, significant: false) }
        let differences = zip(values, reference).map { $0 - $1 }
        let observed = differences.reduce(0, +) / Double(differences.count)
        let centred = differences.map { $0 - observed }
        let means = bootstrapMeans(centred)
        let extreme = means.lazy.filter { abs($0) >= abs(observed) - 1e-15 }.count
        let p = observed == 0 ? 1 : Double(extreme + 1) / Double(means.count + 1)
        return PairedTest(difference: observed, p: p, significant: p < alpha)
    }

    /// Linear interpolation between order statistics (type 7, numpy's default).
    func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? 0 }
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
    }
}
