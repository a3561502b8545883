/// Steck's EASE ("Embarrassingly Shallow Autoencoders", WWW 2019) in place of counted co-occurrence: the
/// neighbour rows hold the item-item weights `B = I − P·diag(1/diag P)`, `P = (XᵀX + λI)⁻¹`, `diag B = 0`,
/// learned from the binary reader × article matrix `X` of the co-occurrence baskets.
///
/// The weights need a dense inverse, O(n³) time and O(n²) memory in the articles modelled, so at most
/// ``maxArticles`` take part: those engaged most recently (the live catalogue first). TrendmixCore counts
/// co-occurrence only; the solve needs LAPACK and lives in TrendmixLinearAlgebra (`NeighbourIndex.learned`),
/// which every build goes through.
public struct EASEConfiguration: Sendable, Hashable, Codable {
    /// λ, the L2 penalty on B; larger favours popular articles less and generalises more. Steck used 200–500
    /// on his sets; at least 1 (with it `XᵀX + λI` is positive definite well beyond double's rounding).
    public var lambda: Double = 250
    /// The most articles in the dense solve (n² doubles: 10,000 is 800 MB).
    public var maxArticles: Int = 10_000

    /// The bounds a configuration file may set.
    public static let lambdaRange: ClosedRange<Double> = 1...1e9
    public static let maxArticlesRange: ClosedRange<Int> = 2...30_000

    public init(lambda: Double = 250, maxArticles: Int = 10_000) {
        self.lambda = lambda
        self.maxArticles = maxArticles
    }
}
