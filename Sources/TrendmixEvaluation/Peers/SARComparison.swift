import Foundation
public import TrendmixCore

/// Trendmix configured as Microsoft Recommenders' SAR computes (`sar_singlenode.py`, recommenders 1.2.1):
/// readers are the baskets, each reader counts once per article pair, Jaccard similarity, no neighbour cap,
/// threshold 1, affinity = Σ weight · min(1, 2^(−age / halfLife)) with `now` = the latest event, seen
/// articles removed. `Evaluation/peers/sar_equivalence.py` runs SAR itself on the events this writes and
/// compares the lists.
public struct SARComparison: Sendable {
    public var weights: EventWeights
    public var halfLife: Duration
    public var k: Int

    /// The weights the DeskDrop comparison uses (the same both sides): view 1, like 2, bookmark 2.5,
    /// follow 3, comment 4.
    public static let deskDropWeights = EventWeights([
        .view: 1, .like: 2, .bookmark: 2.5, .follow: 3, .comment: 4,
    ])

    public init(weights: EventWeights = Self.deskDropWeights, halfLife: Duration = .days(30), k: Int = 10) {
        self.weights = weights
        self.halfLife = halfLife
        self.k = k
    }

    /// The co-occurrence settings equal to SAR's.
    public var cooccurrence: CooccurrenceConfiguration {
        var c = CooccurrenceConfiguration()
        c.unit = .reader
        c.weights = weights
        c.maxItemsPerBasket = nil
        c.minPairCount = 1
        c.measure = .jaccard
        c.neighbours = nil
        return c
    }

    /// Top-`k` lists for every reader of the snapshot: (reader id, [(article id, score)]), readers in
    /// snapshot order.
    public func recommendations(for snapshot: Snapshot) -> [(reader: String, items: [(article: String, score: Double)])]
    {
        let now = snapshot.lastEventTime ?? Timestamp(milliseconds: 0)
        let neighbours = NeighbourIndex(snapshot: snapshot, configuration: cooccurrence)
        let affinity = ReaderAffinity(
            snapshot: snapshot, weights: weights, decay: RecencyDecay(halfLife: halfLife), now: now)
        let scorer = PersonalizedScorer(affinity: affinity, neighbours: neighbours)
        var scratch = [Double](repeating: 0, count: snapshot.articles.count)
        return (0..<snapshot.readers.count).map { u in
            let items = scorer.recommend(reader: u, k: k, removeSeen: true, scratch: &scratch)
            return (snapshot.readers[u], items.map { (snapshot.articles.externalID[Int($0.article)], $0.score) })
        }
    }

    /// Writes `events.csv` (reader, article, weight, Unix seconds: the events exactly as Trendmix weighs
    /// them) and `trendmix_top<k>.csv` (reader, rank, article, score) into `folder`.
    public func writeInputs(for snapshot: Snapshot, to folder: String) throws {
        try writeEvents(for: snapshot, to: folder)
        var top = "reader,rank,article,score\n"
        for (reader, items) in recommendations(for: snapshot) {
            for (rank, item) in items.enumerated() {
                top += "\(reader),\(rank + 1),\(item.article),\(String(format: "%.17g", item.score))\n"
            }
        }
        try top.write(toFile: folder + "/trendmix_top\(k).csv", atomically: true, encoding: .utf8)
    }

    /// Writes `events.csv` only: reader, article, weight, Unix seconds, for every event with a reader and a
    /// positive weight. Articles are named by their external ids (unique across the sites of the data sets
    /// compared here: DeskDrop has one site, generated ids are numbered across sites).
    public func writeEvents(for snapshot: Snapshot, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var events = "reader,article,weight,timestamp\n"
        let e = snapshot.events
        for i in 0..<e.count where e.reader[i] >= 0 {
            let w = weights.weight(e.type[i], value: e.value[i])
            guard w > 0 else { continue }
            events += "\(snapshot.readers[Int(e.reader[i])]),\(snapshot.articles.externalID[Int(e.article[i])]),"
            events += "\(w),\(Timestamp(milliseconds: e.time[i]).seconds)\n"
        }
        try events.write(toFile: folder + "/events.csv", atomically: true, encoding: .utf8)
    }
}
