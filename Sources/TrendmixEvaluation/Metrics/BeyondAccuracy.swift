import Foundation

/// Metrics of a whole set of lists rather than of one: what a system shows across all cases.
public enum BeyondAccuracy {
    /// The share of live articles that appear in at least one top-k list.
    public static func coverage(lists: [[Int32]], k: Int, catalogueSize: Int) -> Double {
        guard catalogueSize > 0 else { return 0 }
        var shown = Set<Int32>()
        for list in lists { shown.formUnion(list.prefix(k)) }
        return Double(shown.count) / Double(catalogueSize)
    }

    /// The share of recommended items from a site other than the case's own (the seed's or host's site).
    /// Cases without a site are skipped; `nil` when none has one.
    public static func crossSiteShare(lists: [[Int32]], caseSites: [Int32?], k: Int, site: [Int32]) -> Double? {
        var other = 0
        var all = 0
        for (list, own) in zip(lists, caseSites) {
            guard let own else { continue }
            for a in list.prefix(k) {
                all += 1
                if site[Int(a)] != own { other += 1 }
            }
        }
        return all > 0 ? Double(other) / Double(all) : nil
    }

    /// Intra-list diversity: the mean, over lists with two or more labelled items, of the share of item pairs
    /// that differ in `label` (an article's site, or its first tag). Items labelled -1 (no tag) are left out;
    /// `nil` when no list has two labelled items (a catalogue without tags).
    public static func intraListDiversity(lists: [[Int32]], k: Int, label: (Int32) -> Int32) -> Double? {
        var sum = 0.0
        var counted = 0
        for list in lists {
            let labels = list.prefix(k).map(label).filter { $0 >= 0 }
            guard labels.count >= 2 else { continue }
            var differ = 0
            var pairs = 0
            for i in 0..<labels.count {
                for j in (i + 1)..<labels.count {
                    pairs += 1
                    if labels[i] != labels[j] { differ += 1 }
                }
            }
            sum += Double(differ) / Double(pairs)
            counted += 1
        }
        return counted > 0 ? sum / Double(counted) : nil
    }

    /// Novelty as in Castells et al. (ECIR 2011) and recommenders' `novelty`: the mean over recommended items
    /// of −log2(training interactions with the item / all training interactions). Items never seen in training
    /// are left out (their novelty is unbounded).
    public static func novelty(lists: [[Int32]], k: Int, interactions: [Int], total: Int) -> Double {
        guard total > 0 else { return 0 }
        var sum = 0.0
        var n = 0
        for list in lists {
            for a in list.prefix(k) where interactions[Int(a)] > 0 {
                sum += -log2(Double(interactions[Int(a)]) / Double(total))
                n += 1
            }
        }
        return n > 0 ? sum / Double(n) : 0
    }

    /// Popularity bias (average recommendation popularity, Abdollahpouri et al. 2019): the mean over
    /// recommended items of the share of training readers who read the item.
    public static func popularityBias(lists: [[Int32]], k: Int, readersPerArticle: [Int], readers: Int) -> Double {
        guard readers > 0 else { return 0 }
        var sum = 0.0
        var n = 0
        for list in lists {
            for a in list.prefix(k) {
                sum += Double(readersPerArticle[Int(a)]) / Double(readers)
                n += 1
            }
        }
        return n > 0 ? sum / Double(n) : 0
    }
}
