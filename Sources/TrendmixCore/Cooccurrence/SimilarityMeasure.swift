#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How strongly "readers of i also read j" is scored, from the co-occurrence count `c` (baskets holding both),
/// the two items' basket counts `ni`, `nj`, and the number of baskets `n`.
public enum SimilarityMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// `c`. Predictable: the most popular items win everywhere. Fits tiny data or as a raw diagnostic.
    case count
    /// `c / (ni + nj - c)`. A compromise between popularity and discovery; SAR's default.
    case jaccard
    /// `c · n / (ni · nj)`: how much more often than chance. Favours rare items liked by a few, so pair it with
    /// a minimum count; serendipitous but noisy. (SAR's lift omits the constant `n`; rankings are the same.)
    case lift
    /// `c / sqrt(ni · nj)`. Symmetric and less popularity-biased than the count; implicit's CosineRecommender.
    case cosine
    /// Dunning's log-likelihood ratio G² of the 2×2 table (both, i only, j only, neither), kept only when the
    /// pair co-occurs more than chance predicts (0 otherwise). The most robust against chance co-occurrence
    /// of popular items with small counts; what Mahout and the Universal Recommender use.
    case logLikelihood

    /// The similarity of a pair. - Complexity: O(1).
    @inline(__always)
    public func score(c: Double, ni: Double, nj: Double, n: Double) -> Double {
        switch self {
        case .count:
            return c
        case .jaccard:
            let denominator = ni + nj - c
            return denominator > 0 ? c / denominator : 0
        case .lift:
            return ni > 0 && nj > 0 ? c * n / (ni * nj) : 0
        case .cosine:
            return ni > 0 && nj > 0 ? c / (ni * nj).squareRoot() : 0
        case .logLikelihood:
            guard c * n > ni * nj else { return 0 }
            return Self.logLikelihoodRatio(k11: c, k12: ni - c, k21: nj - c, k22: n - ni - nj + c)
        }
    }

    /// G² = 2 · Σ k · ln(k · total / (rowSum · columnSum)) over the four cells (Dunning 1993), written with
    /// entropies as Mahout's `LogLikelihood.logLikelihoodRatio` does, which stays exact for zero cells.
    public static func logLikelihoodRatio(k11: Double, k12: Double, k21: Double, k22: Double) -> Double {
        let rowEntropy = entropy(k11 + k12, k21 + k22)
        let columnEntropy = entropy(k11 + k21, k12 + k22)
        let matrixEntropy = entropy(k11, k12, k21, k22)
        // Rounding can make a true zero slightly negative.
        return max(0, 2 * (rowEntropy + columnEntropy - matrixEntropy))
    }

    static func xLogX(_ x: Double) -> Double { x > 0 ? x * log(x) : 0 }

    /// ``logLikelihood`` for whole counts with `x·ln x` looked up in `xLogX` (indices 0...n): the same
    /// arithmetic as ``logLikelihoodRatio(k11:k12:k21:k22:)``, in the same order, so results are identical.
    @inline(__always)
    static func logLikelihood(c: Int, ni: Int, nj: Int, n: Int, xLogX table: [Double]) -> Double {
        guard c * n > ni * nj else { return 0 }
        let k11 = c
        let k12 = ni - c
        let k21 = nj - c
        let k22 = n - ni - nj + c
        let rowEntropy = table[k11 + k12 + k21 + k22] - (table[k11 + k12] + table[k21 + k22])
        let columnEntropy = table[k11 + k12 + k21 + k22] - (table[k11 + k21] + table[k12 + k22])
        let matrixEntropy = table[k11 + k12 + k21 + k22] - (((table[k11] + table[k12]) + table[k21]) + table[k22])
        return max(0, 2 * (rowEntropy + columnEntropy - matrixEntropy))
    }

    /// Unnormalised entropy: N·ln N − Σ x·ln x.
    private static func entropy(_ xs: Double...) -> Double {
        var sum = 0.0
        var result = 0.0
        for x in xs {
            result += xLogX(x)
            sum += x
        }
        return xLogX(sum) - result
    }
}
