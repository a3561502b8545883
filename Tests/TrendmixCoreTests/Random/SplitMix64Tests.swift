import Testing
import TrendmixCore

@Suite struct SplitMix64Tests {
    @Test func sameSeedGivesSameSequence() {
        var a = SplitMix64(seed: 7)
        var b = SplitMix64(seed: 7)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test func matchesTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var rng = SplitMix64(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let x = rng.next(below: 10)
            #expect((0..<10).contains(x))
            seen.insert(x)
        }
        #expect(seen.count == 10)
        for _ in 0..<1000 {
            let u = rng.nextUnit()
            #expect(u >= 0 && u < 1)
        }
    }
}
