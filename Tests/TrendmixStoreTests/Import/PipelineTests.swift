import Testing

@testable import TrendmixStore

@Suite struct PipelineTests {
    struct Boom: Error, Equatable { var at: Int }

    @Test func deliversEveryItemInOrder() throws {
        var seen: [Int] = []
        try Pipeline.run(
            batchSize: 7, produce: { emit in for i in 0..<10_000 { try emit(i) } }, consume: { seen.append($0) })
        #expect(seen == Array(0..<10_000))
    }

    @Test func deliversTheItemsBeforeAProducerErrorThenTheError() throws {
        var seen: [Int] = []
        #expect(throws: Boom(at: 95)) {
            try Pipeline.run(
                batchSize: 10,
                produce: { emit in
                    for i in 0..<95 { try emit(i) }
                    throw Boom(at: 95)
                }, consume: { seen.append($0) })
        }
        #expect(seen == Array(0..<95))
    }

    @Test func aConsumerErrorStopsTheProducer() throws {
        #expect(throws: Boom(at: 50)) {
            try Pipeline.run(
                batchSize: 4,
                produce: { emit in for i in 0..<1_000_000_000 { try emit(i) } },
                consume: { if $0 == 50 { throw Boom(at: 50) } })
        }
    }
}
