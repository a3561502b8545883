import Synchronization

/// Dense per-request work rows, reused across requests: scoring into an array indexed by article is several
/// times faster than into a dictionary, and reusing the arrays avoids zeroing a catalogue-sized row per request.
///
/// A request takes a scratch from the pool (or makes one), uses it, leaves it all zeros, and gives it back;
/// concurrent requests each hold their own.
final class ScratchPool: Sendable {
    private let free = Mutex<[Scratch]>([])
    let size: Int

    init(size: Int) {
        self.size = size
    }

    func with<Result>(_ body: (inout Scratch) -> Result) -> Result {
        var scratch = free.withLock { $0.popLast() } ?? Scratch(size: size)
        let result = body(&scratch)
        free.withLock { $0.append(scratch) }
        return result
    }
}

/// Rows of the catalogue's size; every entry is zero between requests.
struct Scratch: Sendable {
    var score: [Double]
    var tagSum: [Double]
    /// The personal stage's strongest single contribution to each article's score.
    var bestContribution: [Double]
    /// The freshness blend's candidates: position + 1 of the stage item the candidate came from, −1 for a
    /// candidate that is only hot, 0 for none.
    var blendFrom: [Int32]
    /// The freshness blend's evidence part of each ranked candidate, for its explanation.
    var blendEvidence: [Double]
    var bestFrom: [Int32]
    /// The request's reader's strongest affinities, by article (the personal stage's reverse look-up).
    var affinity: [Double]
    /// The related stage's position + 1 of an article in the seed's neighbour and session rows (0: not in it).
    var rowFrom: [Int32]
    var sessionFrom: [Int32]
    /// Articles the request's reader read (set at the start of a request, cleared at its end).
    var seen: [Bool]
    /// Articles already among a request's candidates.
    var offered: [Bool]
    var touched: [Int32] = []
    /// The tag stage's touched articles and their scores: fixed-size buffers (their count only grows, to the
    /// most postings a seed has read), written through pointers with a count of their own.
    var tagTouched: [Int32] = []
    var tagRanked: [Ranked] = []
    /// Candidates for `topK` (``Ranked/origin`` the position where a stage needs one, else 0): empty between
    /// uses, its capacity kept.
    var ranked: [Ranked] = []

    init(size: Int) {
        score = Array(repeating: 0, count: size)
        tagSum = Array(repeating: 0, count: size)
        bestContribution = Array(repeating: 0, count: size)
        blendFrom = Array(repeating: 0, count: size)
        blendEvidence = Array(repeating: 0, count: size)
        bestFrom = Array(repeating: 0, count: size)
        affinity = Array(repeating: 0, count: size)
        rowFrom = Array(repeating: 0, count: size)
        sessionFrom = Array(repeating: 0, count: size)
        seen = Array(repeating: false, count: size)
        offered = Array(repeating: false, count: size)
    }
}

extension Scratch {
    /// Grows the tag stage's buffers to hold at least `count` entries.
    mutating func reserveTagBuffers(_ count: Int) {
        guard tagTouched.count < count else { return }
        let size = max(count, 2 * tagTouched.count)
        tagTouched = Array(repeating: 0, count: size)
        tagRanked = Array(repeating: Ranked(score: 0, article: 0), count: size)
    }

    /// The `ranked` buffer, moved out (so it can be passed `inout` while `self` is too); give it back after.
    mutating func takeRanked() -> [Ranked] {
        var buffer: [Ranked] = []
        swap(&buffer, &ranked)
        return buffer
    }

    /// Returns the buffer emptied, keeping its capacity.
    mutating func giveBack(_ buffer: inout [Ranked]) {
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &ranked)
    }
}
