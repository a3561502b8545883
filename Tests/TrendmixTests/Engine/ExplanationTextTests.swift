import Testing
import TrendmixCore

@testable import Trendmix

/// Explanations are written byte by byte (`RecommendedItem.explain`); this pins them to the plain interpolated
/// wording, for every source, trending measure and optional field.
@Suite struct ExplanationTextTests {
    static func model(_ measure: TrendingMeasure) -> RecommendationModel {
        var a = Snapshot.Articles()
        a.append(site: 0, externalID: "a0", title: "It's \"quoted\" — and long", publishedAt: 0, tags: [0, 1])
        a.append(site: 1, externalID: "no-title", title: nil, publishedAt: 0, tags: [1])
        a.append(site: 1, externalID: "a2", title: "日本 😀", publishedAt: 0, tags: [2])
        var e = Snapshot.Events()
        e.append(article: 0, reader: 0, type: .view, time: 1)
        e.append(article: 1, reader: 0, type: .view, time: 2)
        let snapshot = Snapshot(
            sites: [
                Site(slug: "news", name: "News", kind: "news", baseURL: "https://n.example"),
                Site(slug: "blog", name: "Blog", kind: "blog", baseURL: "https://b.example"),
            ], articles: a, tags: ["japan", "food, drink", "hiking"], readers: ["r0"], events: e)
        var c = ModelConfiguration()
        c.trending.measure = measure
        return RecommendationModel(snapshot: snapshot, configuration: c, now: Timestamp(milliseconds: 3))
    }

    @Test(arguments: TrendingMeasure.allCases)
    func matchesThePlainWording(measure: TrendingMeasure) {
        let model = Self.model(measure)
        let sources: [Explanation.Source] = [.cooccurrence, .session, .tags, .personalized, .trending, .newest]
        let numbers: [Double?] = [nil, 0, 0.4125, -0.0004, 12_345.6789, .nan]
        var checked = 0
        for source in sources {
            for seed: Int32? in [nil, 0, 1, 2] {
                for count: Int32? in [nil, 0, 1, 7] {
                    for (k, x) in numbers.enumerated() {
                        for shared: [Int32] in [[], [1], [0, 1]] {
                            let r = Explanation(
                                source: source, seed: seed, cooccurrenceCount: count, similarity: x,
                                tagSimilarity: k % 2 == 0 ? x : 0.5, growth: x,
                                recentRate: numbers[(k + 1) % numbers.count],
                                baselineRate: numbers[(k + 2) % numbers.count], sessionCount: count)
                            #expect(
                                RecommendedItem.explain(r, sharedTags: shared, model)
                                    == Self.reference(r, shared, model))
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 6 * 4 * 4 * 6 * 3)
    }

    @Test func aTrendingItemNamesTheMeasureItsSiteWasCalibratedTo() {
        let base = Self.model(.growth)
        var news = base.tuning[0]
        news.trendingMeasure = .newest
        var blog = base.tuning[1]
        blog.trendingMeasure = .velocity
        let calibration = Calibration(
            sites: [
                SiteCalibration(
                    site: "news", tuning: news, trendingSource: .own, readerSource: .own, trending: nil, reader: nil),
                SiteCalibration(
                    site: "blog", tuning: blog, trendingSource: .pooled, readerSource: .own, trending: nil, reader: nil),
            ], horizonDays: 7, trendingOrigins: 8, readerOrigins: 1)
        var learned = base.learned
        learned.calibration = calibration
        let model = RecommendationModel(
            catalogue: base.catalogue, learned: learned, builtAt: base.builtAt, configuration: base.configuration)
        let r = Explanation(source: .trending, growth: 0.5, recentRate: 1, baselineRate: 2)
        #expect(
            RecommendedItem.explain(r, sharedTags: [], model, article: 0)
                == "new and read on its site: 1.000 weighted events a day lately against 2.000 usually (newest first); "
                + "the measure this site's backtest chose")
        #expect(
            RecommendedItem.explain(r, sharedTags: [], model, article: 2)
                == "gaining engagement on its site: 1.000 weighted events a day lately against 2.000 usually "
                + "(velocity 0.500); the measure the sites' pooled backtest chose")
        // Without a calibration: the configured measure, no such words.
        #expect(
            RecommendedItem.explain(r, sharedTags: [], base, article: 0)
                == "trending on its site: 1.000 weighted events a day lately against 2.000 usually (growth 0.500)")
    }

    @Test func readsLikeASentence() {
        let model = Self.model(.growth)
        let r = Explanation(
            source: .cooccurrence, seed: 0, cooccurrenceCount: 12, similarity: 0.41249, tagSimilarity: 0.5,
            sessionCount: 3)
        #expect(
            RecommendedItem.explain(r, sharedTags: [1], model)
                == "12 readers of 'It's \"quoted\" — and long' also read it (similarity 0.412); read in the same "
                + "visit as 'It's \"quoted\" — and long' 3 times; shares the tags food, drink with "
                + "'It's \"quoted\" — and long' (tag similarity 0.500)")
    }

    /// The wording as interpolated strings, part by part.
    static func reference(_ r: Explanation, _ sharedTags: [Int32], _ model: RecommendationModel) -> String {
        func name(_ a: Int32?) -> String {
            guard let a else { return "?" }
            return "'\(model.articles.title[Int(a)] ?? model.articles.externalID[Int(a)])'"
        }
        func fixed(_ x: Double?) -> String { x.map(RecommendedItem.threeDecimals) ?? "?" }
        func visits(_ n: Int32) -> String {
            "read in the same visit as \(name(r.seed)) \(n == 1 ? "once" : "\(n) times")"
        }
        var parts: [String] = []
        switch r.source {
        case .cooccurrence:
            let n = r.cooccurrenceCount ?? 0
            parts.append(
                "\(n) \(n == 1 ? "reader" : "readers") of \(name(r.seed)) also read it (similarity \(fixed(r.similarity)))"
            )
            if let v = r.sessionCount { parts.append(visits(v)) }
        case .session:
            parts.append(visits(r.sessionCount ?? 0) + " (similarity \(fixed(r.similarity)))")
        case .tags:
            break
        case .personalized:
            parts.append(
                r.similarity == 0
                    ? "nothing this reader read points to it (personal score 0.000)"
                    : "close to \(name(r.seed)), which this reader read (personal score \(fixed(r.similarity)))")
        case .trending:
            let rates = "\(fixed(r.recentRate)) weighted events a day lately against \(fixed(r.baselineRate)) usually"
            switch model.configuration.trending.measure {
            case .growth: parts.append("trending on its site: \(rates) (growth \(fixed(r.growth)))")
            case .decayedCount: parts.append("busy on its site: \(rates) (decayed count \(fixed(r.growth)))")
            case .hackerNewsGravity:
                parts.append("new and engaged on its site: \(rates) (HN gravity \(fixed(r.growth)))")
            case .velocity: parts.append("gaining engagement on its site: \(rates) (velocity \(fixed(r.growth)))")
            case .newest: parts.append("new and read on its site: \(rates) (newest first)")
            }
        case .newest:
            parts.append("among the newest articles of its site")
        }
        if let t = r.tagSimilarity, !sharedTags.isEmpty {
            let names = sharedTags.map { model.tags[Int($0)] }.joined(separator: ", ")
            parts.append("shares the tags \(names) with \(name(r.seed)) (tag similarity \(fixed(t)))")
        }
        return parts.joined(separator: "; ")
    }
}
