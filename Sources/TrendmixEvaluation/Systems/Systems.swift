import Foundation
public import TrendmixCore

/// A system under evaluation: given a case, its ranked list (best first). Every system ranks the same split's
/// cases over the same live catalogue; built-in ones go through the same ``Recommender`` protocol as the engine.
public struct EvaluatedSystem: Sendable {
    public enum Kind: String, Sendable, Codable { case trendmix, baseline, peer }

    public var name: String
    public var kind: Kind
    /// One line on what the system does, for the report.
    public var summary: String
    let rank: @Sendable (_ index: Int, _ case: EvaluationCase, _ k: Int) -> [Int32]

    public init(
        name: String, kind: Kind, summary: String,
        rank: @escaping @Sendable (_ index: Int, _ case: EvaluationCase, _ k: Int) -> [Int32]
    ) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.rank = rank
    }

    /// A ``Recommender`` asked as the engine asks it: a reader's case as `reader`, a session case as `seed`, a
    /// trending case as `sites`; no host site, so nothing is left out for being on the same site.
    public init(name: String, kind: Kind, summary: String, recommender: some Recommender) {
        self.init(name: name, kind: kind, summary: summary) { _, c, k in
            let request = RecommendationRequest(
                seed: c.seed, reader: c.reader, k: k, sites: c.site.map { [$0] }, now: c.now)
            return recommender.recommend(request).map(\.article)
        }
    }

    /// A list given from outside (a peer's output), by case index.
    public init(name: String, kind: Kind, summary: String, lists: [[Int32]]) {
        self.init(name: name, kind: kind, summary: summary) { i, _, k in
            i < lists.count ? Array(lists[i].prefix(k)) : []
        }
    }
}

/// A Trendmix configuration built on a split's training events, as a system.
public func trendmixSystem(
    name: String = "Trendmix", split: Split, configuration: ModelConfiguration, summary: String? = nil
) -> EvaluatedSystem {
    let model = RecommendationModel(snapshot: split.train, configuration: configuration, now: split.now)
    return EvaluatedSystem(
        name: name, kind: .trendmix,
        summary: summary
            ?? "co-occurrence (\(configuration.cooccurrence.measure.rawValue)) → personal → trending → newest mix",
        recommender: model)
}

/// Ranks every eligible live article by a fixed score per article (ties by article index, the documented
/// tie-break of every built-in system); the baselines are all of this form.
public struct ScoreRanker: Recommender {
    public let scores: [Double]
    let live: [Bool]
    let site: [Int32]
    /// Per reader, the articles read in training (left out when the split removes seen articles).
    let seen: [Int32: Set<Int32>]

    public init(scores: [Double], split: Split) {
        self.scores = scores
        live = split.live
        site = split.train.articles.site
        seen = split.removeSeen ? EvaluationProtocol.readerArticles(split.train) : [:]
    }

    public func recommend(_ r: RecommendationRequest) -> [ScoredArticle] {
        let read = r.reader.flatMap { seen[$0] } ?? []
        var scored: [Ranked] = []
        scored.reserveCapacity(scores.count)
        for a in 0..<scores.count where live[a] {
            let j = Int32(a)
            if j == r.seed || read.contains(j) || r.exclude.contains(j) { continue }
            if let sites = r.sites, !sites.contains(site[a]) { continue }
            scored.append(Ranked(score: scores[a], article: j))
        }
        let keep = topK(&scored, r.k)
        return scored.prefix(keep).map {
            ScoredArticle(article: $0.article, score: $0.score, reason: Explanation(source: .trending))
        }
    }
}

/// The baselines of the harness, each built from a split's training events only.
public enum Baselines {
    /// Every baseline that applies to the split's protocol.
    public static func all(for split: Split, weights: EventWeights, seed: UInt64) -> [EvaluatedSystem] {
        var out = [
            random(split, seed: seed), mostPopular(split, weights: weights), newest(split),
            decayedPopularity(split, weights: weights, halfLife: .days(7)), hackerNews(split, weights: weights),
        ]
        if split.cases.contains(where: { $0.seed != nil || $0.reader != nil }) { out.append(tagSimilarity(split)) }
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
}

extension ScoreRanker {
    init(scores: [Double], live: [Bool], site: [Int32], seen: [Int32: Set<Int32>]) {
        self.scores = scores
        self.live = live
        self.site = site
        self.seen = seen
    }
}

extension RecencyConfiguration {
    /// One half-life for every site.
    static func uniform(_ halfLife: Duration) -> RecencyConfiguration {
        var c = RecencyConfiguration()
        c.defaultHalfLife = halfLife
        c.byKind = [:]
        return c
    }
}

extension TrendingConfiguration {
    static func measure(_ measure: TrendingMeasure) -> TrendingConfiguration {
        var c = TrendingConfiguration()
        c.measure = measure
        return c
    }
}
