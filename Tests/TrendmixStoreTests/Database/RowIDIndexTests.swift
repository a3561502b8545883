import Testing
import TrendmixCore

@testable import TrendmixStore

/// `RowIDIndex` answers exactly as a dictionary from row id to position does, in its dense and sparse forms.
@Suite struct RowIDIndexTests {
    static func check(_ keys: [Int64], probes: [Int64]) {
        var reference: [Int64: Int32] = [:]
        for (i, key) in keys.enumerated() { reference[key] = Int32(i) }
        let index = RowIDIndex(keys)
        for key in keys + probes { #expect(index[key] == reference[key], "key \(key)") }
    }

    static let edges: [Int64] = [.min, .min + 1, -1, 0, 1, 1023, 1024, 1025, .max - 1, .max]

    @Test func consecutiveIdsWithGapsAndMissingOnes() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<50 {
            // Ascending ids from a random start with random gaps, some as wide as the dense table allows.
            var key = Int64.random(in: -5...1_000_000, using: &rng)
            var keys: [Int64] = []
            for _ in 0..<Int.random(in: 0...300, using: &rng) {
                keys.append(key)
                key += Int64.random(in: 1...(trial % 5 == 0 ? 40 : 3), using: &rng)
            }
            let low = keys.first ?? 0
            let probes = (0..<200).map { _ in low + Int64.random(in: -10...1_500, using: &rng) } + Self.edges
            Self.check(keys, probes: probes)
        }
    }

    @Test func idsSpreadWiderThanTheCatalogue() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20 {
            let keys = (0..<Int.random(in: 1...100, using: &rng)).map { _ in
                Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng)
            }
            Self.check(Array(Set(keys)), probes: Self.edges + keys.map { $0 + 1 })
        }
    }

    @Test func extremesAndEmpty() {
        Self.check([], probes: Self.edges)
        Self.check([.min, .max], probes: Self.edges)
        Self.check([.max], probes: Self.edges)
        Self.check([.min], probes: Self.edges)
        Self.check([.max - 2, .max - 1, .max], probes: Self.edges)
        Self.check([.min, .min + 1], probes: Self.edges)
    }
}
