import COpenBLAS

/// Dense linear algebra through Debian's OpenBLAS (LAPACK's Cholesky routines), for the few steps that need
/// a dense matrix: EASE's inverse of `XᵀX + λI`.
public enum LinearAlgebra {
    /// Inverts the symmetric positive definite `n × n` matrix `a` (row-major, both triangles filled) in place:
    /// a Cholesky factorisation (`dpotrf`), the inverse from it (`dpotri`), then the upper triangle mirrored
    /// from the lower. Symmetric, so row- and column-major are the same matrix.
    /// - Returns: `false`, with `a` overwritten, when `a` is not positive definite (LAPACK's `info` above 0).
    /// - Complexity: O(n³) time (n³/3 for the factor, 2n³/3 for the inverse) on OpenBLAS's threads; no memory
    ///   beyond `a`.
    public static func invertSymmetricPositiveDefinite(_ a: inout [Double], n: Int) -> Bool {
        precondition(a.count == n * n, "a is not n × n")
        guard n > 0 else { return true }
        var uplo = CChar(UInt8(ascii: "L"))
        var order = CInt(n)
        var leading = CInt(n)
        var info: CInt = 0
        a.withUnsafeMutableBufferPointer { p in dpotrf_(&uplo, &order, p.baseAddress, &leading, &info) }
        guard info == 0 else { return false }
        a.withUnsafeMutableBufferPointer { p in dpotri_(&uplo, &order, p.baseAddress, &leading, &info) }
        guard info == 0 else { return false }
        // LAPACK is column-major: its lower triangle (row ≥ column) is, read row-major, the upper one.
        a.withUnsafeMutableBufferPointer { p in
            for row in 1..<n {
                for column in 0..<row { p[row * n + column] = p[column * n + row] }
            }
        }
        return true
    }
}
