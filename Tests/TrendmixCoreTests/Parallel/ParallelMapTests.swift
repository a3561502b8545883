import Testing

@testable import TrendmixCore

@Suite struct ParallelMapTests {
    @Test func everyChunksResultArrivesInChunkOrderUnderContention() {
        // Many small chunks written at once: a lost or misplaced write shows as a wrong or missing range.
        for round in 0..<3_000 {
            let count = 64 + round % 200
            let ranges = parallelMap(count: count, chunks: 64) { $0 }
            let pieces = min(64, count)
            #expect(ranges.count == pieces)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
    }
}
