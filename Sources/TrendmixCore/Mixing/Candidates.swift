/// A box's candidates in the order the stages offered them, each article once, and where each stage's
/// candidates end (the stage of a candidate, for the box's scores).
struct Candidates {
    private(set) var items: [ScoredArticle] = []
    private var stageEnds: [Int] = []

    init(capacity: Int) { items.reserveCapacity(capacity) }

    /// Appends a stage's items that no stage before offered, marking them in the scratch's `offered` row.
    mutating func offer(_ stage: [ScoredArticle], _ work: inout Scratch) {
        for item in stage where !work.offered[Int(item.article)] {
            work.offered[Int(item.article)] = true
            items.append(item)
        }
        if stageEnds.last != items.count { stageEnds.append(items.count) }
    }

    /// The stage index of each chosen candidate (positions ascending).
    func stages(of chosen: [Int]) -> [Int] {
        var stage = 0
        return chosen.map { i in
            while stage < stageEnds.count, i >= stageEnds[stage] { stage += 1 }
            return stage
        }
    }

    /// Clears the scratch marks of every candidate.
    func clear(_ work: inout Scratch) {
        for item in items { work.offered[Int(item.article)] = false }
    }
}
