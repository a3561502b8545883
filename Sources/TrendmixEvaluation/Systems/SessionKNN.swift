import Foundation
public import TrendmixCore

/// Session-based nearest neighbours, the family Ludewig, Mauro, Latifi and Jannach found ahead of GRU4Rec and
/// SR-GNN on most of their data sets ("Empirical analysis of session-based recommendation algorithms", UMUAI
/// 2021), as their framework session-rec defines them, over the training events' sessions: a session is its
/// articles in time order, an article engaged several times in a row once, and its time is its last event's.
///
/// For the current visit `s` (articles in order, the seed last, `L` of them) the candidates are the training
/// sessions holding any of its articles, the `sampleSize` most recent when there are more (ties: the lower
/// session index). Each has a similarity; the `k` most similar (ties: the lower index) score every article they
/// hold, and an article's score is the sum.
/// - **V-SKNN**: an article at position `p` (1-based; a repeated article keeps its last) weighs `p / L`;
///   similarity = Σ weights of the shared articles / the visit's distinct articles; a neighbour adds
///   `similarity / d`, `d` the position from the visit's end (1 for the seed) of the latest visit article it
///   holds.
/// - **STAN** (Garg, Gupta, Malhotra, Vig and Shroff, SIGIR 2019): weights `exp((p − L) / λ₁)`; similarity =
///   Σ shared weights / (‖weights‖ · √(the neighbour's distinct articles)), times `exp(−Δt / λ₂)` for the
///   neighbour's age `Δt` at the visit's time; a neighbour adds `similarity · exp(−|q − q*| / λ₃)`, `q` the
///   article's last position in the neighbour and `q*` the last position there of any visit article.
///
/// Evaluation/peers/session_knn_reference.py computes both in numpy; the scores agree to 1e-6
/// (`SessionKNNTests`).
public struct SessionKNN: Sendable {
    public enum Variant: Sendable, Hashable {
        case vsknn
        /// λ₁ (positions), λ₂ (days), λ₃ (positions); session-rec's defaults are 1.02, 5 and 2.05.
        case stan(positionDecay: Double, recencyDays: Double, neighbourDecay: Double)
    }

    public let variant: Variant
    public let k: Int
    public let sampleSize: Int
    /// Each training session's articles in order, its distinct articles (ascending) and last event time.
    let sessions: [[Int32]]
    let distinct: [[Int32]]
    let lastTime: [Int64]
    /// Per article, the sessions holding it (ascending).
    let sessionsOf: [Int32: [Int32]]

    /// session-rec's defaults: V-SKNN with k = 100 from 1,000 sampled sessions, STAN with k = 100 from 5,000.
    public init(snapshot: Snapshot, variant: Variant, k: Int = 100, sampleSize: Int? = nil) {
        self.variant = variant
        self.k = k
        if case .stan = variant { self.sampleSize = sampleSize ?? 5000 } else { self.sampleSize = sampleSize ?? 1000 }
        let events = snapshot.events
        var rows: [Int32: [Int]] = [:]
        for i in 0..<events.count where events.session[i] >= 0 { rows[events.session[i], default: []].append(i) }
        var sessions: [[Int32]] = []
        var lastTime: [Int64] = []
        for (_, list) in rows.sorted(by: { $0.key < $1.key }) {
            var items: [Int32] = []
            for i in list.sorted(by: { (events.time[$0], $0) < (events.time[$1], $1) })
            where items.last != events.article[i] {
                items.append(events.article[i])
            }
            sessions.append(items)
            lastTime.append(list.map { events.time[$0] }.max() ?? 0)
        }
        self.sessions = sessions
        self.lastTime = lastTime
        distinct = sessions.map { Array(Set($0)).sorted() }
        var sessionsOf: [Int32: [Int32]] = [:]
        for (s, items) in distinct.enumerated() { for a in items { sessionsOf[a, default: []].append(Int32(s)) } }
        self.sessionsOf = sessionsOf
    }

    /// Every article's score for a visit (articles in order, the seed last) at `time`; articles no neighbour
    /// holds are absent.
    public func scores(visit: [Int32], at time: Timestamp) -> [Int32: Double] {
        guard !visit.isEmpty else { return [:] }
        let length = Double(visit.count)
        var weight: [Int32: Double] = [:]
        for (p, a) in visit.enumerated() {
            switch variant {
            case .vsknn: weight[a] = Double(p + 1) / length
            case .stan(let positionDecay, _, _): weight[a] = exp((Double(p + 1) - length) / positionDecay)
            }
        }
        let norm = weight.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var candidates = Array(Set(weight.keys.flatMap { sessionsOf[$0] ?? [] }))
        if candidates.count > sampleSize {
            candidates.sort { (lastTime[Int($0)], -$0) > (lastTime[Int($1)], -$1) }
            candidates.removeLast(candidates.count - sampleSize)
        }
        var neighbours: [(session: Int32, similarity: Double)] = candidates.map { c in
            let shared = distinct[Int(c)].reduce(0.0) { $0 + (weight[$1] ?? 0) }
            switch variant {
            case .vsknn:
                return (c, shared / Double(weight.count))
            case .stan(_, let days, _):
                let age = Double(time.milliseconds - lastTime[Int(c)]) / Double(Timestamp.millisecondsPerDay)
                let cosine = shared / (norm * Double(distinct[Int(c)].count).squareRoot())
                return (c, cosine * exp(-age / days))
            }
        }
        neighbours.sort { ($0.similarity, -$0.session) > ($1.similarity, -$1.session) }
        var scores: [Int32: Double] = [:]
        for (c, similarity) in neighbours.prefix(k) where similarity > 0 {
            let items = sessions[Int(c)]
            switch variant {
            case .vsknn:
                let held = Set(distinct[Int(c)])
                guard let latest = visit.lastIndex(where: { held.contains($0) }) else { continue }
                let add = similarity / Double(visit.count - latest)
                for a in distinct[Int(c)] { scores[a, default: 0] += add }
            case .stan(_, _, let distanceDecay):
                var last: [Int32: Int] = [:]
                var star = 0
                for (q, a) in items.enumerated() {
                    last[a] = q + 1
                    if weight[a] != nil { star = q + 1 }
                }
                for (a, q) in last { scores[a, default: 0] += similarity * exp(-Double(abs(q - star)) / distanceDecay) }
            }
        }
        return scores
    }
}
