// EASE's dense solve in Swift (LAPACK's Cholesky inverse from Debian's OpenBLAS) against numpy's on the same
// kind of matrix, in one run:
//   swift run -c release ease-benchmark [--python PY] [--sizes 1000,2000,4000] [--repeat 3]
// Each size: a Gram matrix XᵀX of a seeded 4n × n binary X with 1 % ones (the numpy side draws its own with
// the same shape and density), then B = I − P·diag(1/diag P), P = (XᵀX + 250·I)⁻¹. Prints the best of the
// repeats for both and the ratio. numpy is Evaluation/peers/ease_reference.py --time N (numpy's inv: LU).
import BenchmarkSupport
import Foundation
import TrendmixCore
import TrendmixLinearAlgebra

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
let arguments = BenchmarkArguments(
    usage: """
        usage: ease-benchmark [--python PY] [--sizes 1000,2000,4000] [--repeat 3]
          --python PY    a Python with numpy (Evaluation/peers/requirements.txt; python3)
          --sizes LIST   matrix sizes n, comma-separated
          --repeat N     runs per size and side; the best is reported
        """,
    options: ["--python", "--sizes", "--repeat"], flags: [])
let python = arguments.string("--python", "python3")
let repeats = max(1, arguments.count("--repeat", 3))
let sizes = arguments.string("--sizes", "1000,2000,4000").split(separator: ",").map { part -> Int in
    guard let n = Int(part), (2...20_000).contains(n) else { fail("--sizes: \(part) is not a size from 2 to 20000") }
    return n
}

func gram(n: Int) -> [Double] {
    var random = SplitMix64(seed: 7)
    var g = [Double](repeating: 0, count: n * n)
    var row: [Int] = []
    for _ in 0..<(4 * n) {
        row.removeAll(keepingCapacity: true)
        for j in 0..<n where random.nextUnit() < 0.01 { row.append(j) }
        for p in row { for q in row { g[p * n + q] += 1 } }
    }
    return g
}

print("EASE solve (inverse of XᵀX + λI and B), best of \(repeats); numpy from \(python)")
print("     n   Swift+OpenBLAS s   numpy s   Swift / numpy")
for n in sizes {
    let base = gram(n: n)
    var swift = Double.infinity
    for _ in 0..<repeats {
        var g = base
        let start = monotonicSeconds()
        EASE.solve(&g, n: n, lambda: 250)
        swift = min(swift, monotonicSeconds() - start)
    }
    var numpy = Double.infinity
    for _ in 0..<repeats {
        let run = runChild(python, [root + "/Evaluation/peers/ease_reference.py", "--time", String(n)])
        guard run.status == 0, let seconds = Double(run.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            fail("numpy failed: \(run.output)")
        }
        numpy = min(numpy, seconds)
    }
    print(
        String(n).leftPadded(6), String(format: "%.3f", swift).leftPadded(18),
        String(format: "%.3f", numpy).leftPadded(9), String(format: "%.2f×", swift / numpy).leftPadded(15))
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
