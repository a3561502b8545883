import Synchronization

/// The personal stage's answers, shared by models that differ only in their tuning (``RecommendationModel/
/// retuned(_:)``: a calibration's options at one backtest origin). The personal stage reads the neighbour rows
/// and the reader's affinities, which retuned copies share, so for one request and one list of hot candidates it
/// answers the same in each: asked once, reused by the other options. Valid only across such copies and for the
/// same requests' `now` (the key holds the request's reader, sites, host and exclusions, not its time).
package final class PersonalMemo: Sendable {
    struct Key: Hashable {
        var reader: Int
        var limit: Int
        var sites: Set<Int32>?
        var host: Int32?
        var exclude: [Int32]
        var also: [Int32]
    }

    private let answers = Mutex<[Key: ([ScoredArticle], [Double])]>([:])

    package init() {}

    /// The stored answer for `key`, or `compute`'s, stored.
    func answer(_ key: Key, _ compute: () -> ([ScoredArticle], [Double])) -> ([ScoredArticle], [Double]) {
        if let known = answers.withLock({ $0[key] }) { return known }
        let fresh = compute()
        answers.withLock { $0[key] = fresh }
        return fresh
    }

    /// How many answers are stored (for tests).
    package var count: Int { answers.withLock { $0.count } }
}
