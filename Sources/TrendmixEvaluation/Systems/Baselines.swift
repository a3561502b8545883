import Foundation
public import TrendmixCore
import TrendmixLinearAlgebra

/// The baselines of the harness, each built from a split's training events only.
public enum Baselines {
    /// Every baseline that applies to the split's protocol.
    public static func all(for split: Split, weights: EventWeights, seed: UInt64) -> [EvaluatedSystem] {
        var out = [
            random(split, seed: seed), mostPopular(split, weights: weights), newest(split),
            decayedPopularity(split, weights: weights, halfLife: .days(7)), hackerNews(split, weights: weights),
        ]
        if split.cases.contains(where: { $0.seed != nil || $0.reader != nil }) {
            out.append(tagSimilarity(split))
            out.append(ease(split, weights: weights))
        }
        if split.cases.contains(where: { !$0.visit.isEmpty }) {
            out.append(sessionKNN(split, variant: .vsknn))
            out.append(sessionKNN(split, variant: .stan(positionDecay: 1.02, recencyDays: 5, neighbourDecay: 2.05)))
        }
        return out
    }

    /// A seeded random order of the eligible articles, different per case, the same for the same seed.
    public static func random(_ split: Split, seed: UInt64) -> EvaluatedSystem {
        let ranker = ScoreRanker(scores: [Double](repeating: 0, count: split.live.count), split: split)
        return EvaluatedSystem(name: "Random", kind: .baseline, summary: "a seeded random order") { i, c, k in
            var random = SplitMix64(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            let scores = ranker.scores.indices.map { _ in random.nextUnit() }
            let shuffled = ScoreRanker(scores: scores, live: ranker.live, site: ranker.site, seen: ranker.seen)
            return shuffled.recommend(
                RecommendationRequest(seed: c.seed, reader: c.reader, k: k, sites: c.site.map { [$0] }, now: c.now)
            ).map(\.article)
        }
    }

    /// Articles by their weighted training engagement.
    public static func mostPopular(_ split: Split, weights: EventWeights) -> EvaluatedSystem {
        let scores = TrendingScores(
            snapshot: split.train, weights: weights, recency: .uniform(.days(1e6)),
            configuration: .measure(.decayedCount), now: split.now
        ).score
        return EvaluatedSystem(
            name: "Most popular", kind: .baseline, summary: "weighted engagement in training, all time",
            recommender: ScoreRanker(scores: scores, split: split))
    }

    /// Articles by publish time, newest first (first training event where there is no publish time).
    public static func newest(_ split: Split) -> EvaluatedSystem {
        var born = split.train.articles.publishedAt.map { $0.map(Double.init) ?? -Double.infinity }
        let e = split.train.events
        for i in 0..<e.count where born[Int(e.article[i])] == -.infinity || Double(e.time[i]) < born[Int(e.article[i])]
        {
            if split.train.articles.publishedAt[Int(e.article[i])] == nil {
                born[Int(e.article[i])] = Double(e.time[i])
            }
        }
        return EvaluatedSystem(
            name: "Newest", kind: .baseline, summary: "publish time, newest first",
            recommender: ScoreRanker(scores: born, split: split))
    }

    /// Engagement decayed with a half-life (7 days by default).
    public static func decayedPopularity(_ split: Split, weights: EventWeights, halfLife: Duration) -> EvaluatedSystem {
        let scores = TrendingScores(
            snapshot: split.train, weights: weights, recency: .uniform(halfLife),
            configuration: .measure(.decayedCount), now: split.now
        ).score
        return EvaluatedSystem(
            name: "Decayed popularity", kind: .baseline,
            summary: "engagement decayed with a \(Int(halfLife.inDays))-day half-life",
            recommender: ScoreRanker(scores: scores, split: split))
    }

    /// Hacker News' gravity: (engagement − 1) / (age in hours + 2)^1.8.
    public static func hackerNews(_ split: Split, weights: EventWeights) -> EvaluatedSystem {
        let scores = TrendingScores(
            snapshot: split.train, weights: weights, recency: RecencyConfiguration(),
            configuration: .measure(.hackerNewsGravity), now: split.now
        ).score
        return EvaluatedSystem(
            name: "HN gravity", kind: .baseline, summary: "(engagement − 1) / (age in hours + 2)^1.8",
            recommender: ScoreRanker(scores: scores, split: split))
    }

    /// IDF-weighted tag cosine to the seed, or summed over the reader's 20 latest training articles.
    public static func tagSimilarity(_ split: Split) -> EvaluatedSystem {
        let train = split.train
        let tags = TagSimilarity(articles: train.articles, tagCount: train.tags.count)
        var latest: [Int32: [Int32]] = [:]
        let e = train.events
        let order = (0..<e.count).filter { e.reader[$0] >= 0 }.sorted { (e.time[$0], $0) > (e.time[$1], $1) }
        for i in order where (latest[e.reader[i]]?.count ?? 0) < 20 {
            if latest[e.reader[i]]?.contains(e.article[i]) != true {
                latest[e.reader[i], default: []].append(e.article[i])
            }
        }
        let ranker = ScoreRanker(scores: [], split: split)
        let recent = latest
        return EvaluatedSystem(
            name: "Tag similarity", kind: .baseline, summary: "IDF tag cosine to the seed or the reader's latest 20"
        ) { _, c, k in
            let seeds = c.seed.map { [$0] } ?? c.reader.flatMap { recent[$0] } ?? []
            var sum = [Double](repeating: 0, count: split.live.count)
            var scratch = [Double](repeating: 0, count: split.live.count)
            for s in seeds {
                for (a, similarity) in tags.similar(
                    to: Int(s), limit: 1000, scratch: &scratch, include: { split.live[$0] })
                {
                    sum[Int(a)] += similarity
                }
            }
            let scored = ScoreRanker(scores: sum, live: ranker.live, site: ranker.site, seen: ranker.seen)
            return scored.recommend(
                RecommendationRequest(seed: c.seed, reader: c.reader, k: k, sites: c.site.map { [$0] }, now: c.now)
            ).filter { $0.score > 0 }.map(\.article)
        }
    }

    /// Steck's EASE, exact: a reader's score for `j` is `Σ_{i read in training} B[i, j]` over the whole dense
    /// `B` (negative weights too), a seed's is `B[seed, j]`; λ = 250 (``EASEConfiguration``'s default, in
    /// the middle of Steck's 200–500), over the most recently engaged 10,000 articles. Articles outside the
    /// solve rank last.
    public static func ease(
        _ split: Split, weights: EventWeights, configuration: EASEConfiguration = EASEConfiguration()
    ) -> EvaluatedSystem {
        var c = CooccurrenceConfiguration()
        c.weights = weights
        c.ease = configuration
        let ease = EASE(snapshot: split.train, configuration: c)
        let n = ease.articles.count
        var slot = [Int](repeating: -1, count: split.train.articles.count)
        for (k, a) in ease.articles.enumerated() { slot[Int(a)] = k }
        var read: [Int32: [Int]] = [:]
        for (reader, articles) in EvaluationProtocol.readerArticles(split.train) {
            read[reader] = articles.map { slot[Int($0)] }.filter { $0 >= 0 }.sorted()
        }
        let ranker = ScoreRanker(scores: [], split: split)
        let (history, slotOf) = (read, slot)
        return EvaluatedSystem(
            name: "EASE", kind: .baseline,
            summary: "Steck's EASE, λ = \(Int(configuration.lambda)): Σ over the reader's articles of B's rows"
        ) { _, c, k in
            let rows = c.seed.map { [slotOf[Int($0)]].filter { $0 >= 0 } } ?? c.reader.flatMap { history[$0] } ?? []
            // No history in the solve: nothing to say (as the tag baseline says nothing without tags).
            guard !rows.isEmpty else { return [] }
            var scores = [Double](repeating: -.infinity, count: split.live.count)
            for a in ease.articles { scores[Int(a)] = 0 }
            ease.weights.withUnsafeBufferPointer { b in
                for i in rows {
                    for j in 0..<n { scores[Int(ease.articles[j])] += b[i * n + j] }
                }
            }
            let scored = ScoreRanker(scores: scores, live: ranker.live, site: ranker.site, seen: ranker.seen)
            return scored.recommend(
                RecommendationRequest(seed: c.seed, reader: c.reader, k: k, sites: c.site.map { [$0] }, now: c.now)
            ).map(\.article)
        }
    }

    /// V-SKNN or STAN (``SessionKNN``, session-rec's defaults) over the visit so far; a case without a visit
    /// gets nothing. Only the articles some neighbour holds are ranked.
    public static func sessionKNN(_ split: Split, variant: SessionKNN.Variant) -> EvaluatedSystem {
        let knn = SessionKNN(snapshot: split.train, variant: variant)
        let ranker = ScoreRanker(scores: [], split: split)
        let (name, summary) =
            switch variant {
            case .vsknn:
                ("V-SKNN", "session kNN, 100 of the 1,000 latest sessions sharing an article, position-weighted")
            case .stan(let l1, let l2, let l3):
                ("STAN", "session kNN with position (λ₁ = \(l1)), recency (λ₂ = \(l2) days) and distance (λ₃ = \(l3))")
            }
        return EvaluatedSystem(name: name, kind: .baseline, summary: summary) { _, c, k in
            let scores = knn.scores(visit: c.visit, at: c.visitTime ?? c.now)
            guard !scores.isEmpty else { return [] }
            var dense = [Double](repeating: 0, count: split.live.count)
            for (a, s) in scores { dense[Int(a)] = s }
            let scored = ScoreRanker(scores: dense, live: ranker.live, site: ranker.site, seen: ranker.seen)
            return scored.recommend(
                RecommendationRequest(seed: c.seed, reader: c.reader, k: k, sites: c.site.map { [$0] }, now: c.now)
            ).filter { $0.score > 0 }.map(\.article)
        }
    }
}
