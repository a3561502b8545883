import Foundation
import Testing
import TrendmixCore

/// Issue 18, items 10 to 12: no empty box while the catalogue has articles, nothing called trending without
/// engagement in the trending window, and scores that go down the box as it is ordered.
@Suite struct BoxContentTests {
    static let day: Int64 = 86_400_000

    /// One site whose readers read pairs of articles; events end on day `lastEventDay`, `now` is day `nowDay`.
    static func singleSite(
        lastEventDay: Int64 = 20, nowDay: Int64 = 21, configure: (inout ModelConfiguration) -> Void = { _ in }
    )
        -> RecommendationModel
    {
        var a = Snapshot.Articles()
        for i in 0..<10 {
            a.append(
                site: 0, externalID: "m\(i)", title: "Movie \(i)", publishedAt: Int64(i) * day, tags: [Int32(i % 2)])
        }
        var e = Snapshot.Events()
        for r in 0..<8 {
            e.append(article: Int32(r % 5), reader: Int32(r), type: .view, time: (lastEventDay - 1) * day)
            e.append(article: Int32(r % 5 + 5), reader: Int32(r), type: .view, time: lastEventDay * day)
        }
        let snapshot = Snapshot(
            sites: [Site(slug: "movielens", name: "MovieLens", kind: "movies", baseURL: "https://ml.example")],
            articles: a, tags: ["drama", "comedy"], readers: (0..<8).map { "u\($0)" }, events: e)
        var c = ModelConfiguration()
        configure(&c)
        return RecommendationModel(snapshot: snapshot, configuration: c, now: Timestamp(milliseconds: nowDay * day))
    }

    @Test func aSingleSiteCatalogueFillsTheBoxFromTheHostSiteAndSaysSo() {
        let model = Self.singleSite()
        let now = Timestamp(milliseconds: 21 * Self.day)
        let site = model.recommend(RecommendationRequest(host: 0, k: 4, now: now))
        #expect(site.count == 4)
        #expect(site.allSatisfy { $0.reason.fromHostSite })
        let related = model.recommend(RecommendationRequest(host: 0, seed: 0, k: 4, now: now))
        #expect(related.count == 4 && !related.contains { $0.article == 0 })
        // Its co-reader is there, explained by co-occurrence (with two readers, tags weigh more: α = 2 / (2 + 5)).
        #expect(related.contains { $0.article == 5 && $0.reason.source == .cooccurrence }, "\(related)")
        // Switched off, the box stays empty, as before.
        let off = Self.singleSite { $0.mix.fillFromHostSite = false }
        #expect(off.recommend(RecommendationRequest(host: 0, k: 4, now: now)).isEmpty)
        // A request limited to other sites is not filled from the host.
        #expect(model.recommend(RecommendationRequest(host: 0, k: 4, sites: [], now: now)).isEmpty)
    }

    @Test func theOtherSitesComeFirstAndTheHostOnlyFillsWhatIsLeft() {
        let (_, model) = mixFixture()
        let now = Timestamp(milliseconds: 21 * Self.day)
        let box = model.recommend(RecommendationRequest(host: 0, k: 12, now: now))
        let sites = box.map { model.articles.site[Int($0.article)] }
        let firstOwn = sites.firstIndex(of: 0) ?? sites.count
        #expect(firstOwn == 8, "the 8 articles of the other sites first: \(sites)")
        #expect(sites[firstOwn...].allSatisfy { $0 == 0 })
        #expect(box[..<firstOwn].allSatisfy { !$0.reason.fromHostSite })
        #expect(box[firstOwn...].allSatisfy { $0.reason.fromHostSite })
    }

    @Test func contentWithNoEngagementInTheTrendingWindowIsNeverTrending() {
        // Activity ended 3 years before now: nothing is trending, whatever the growth ratios say.
        let dead = Self.singleSite(lastEventDay: 20, nowDay: 20 + 3 * 365)
        let now = Timestamp(milliseconds: (20 + 3 * 365) * Self.day)
        let box = dead.recommend(RecommendationRequest(host: 0, k: 6, now: now))
        #expect(box.count == 6)
        #expect(!box.contains { $0.reason.source == .trending })
        #expect(box.allSatisfy { $0.reason.source == .newest })
        // A day after the last events, the same articles are trending.
        let live = Self.singleSite(lastEventDay: 20, nowDay: 21)
        let liveBox = live.recommend(
            RecommendationRequest(host: 0, k: 6, now: Timestamp(milliseconds: 21 * Self.day)))
        #expect(liveBox.contains { $0.reason.source == .trending })
    }

    @Test func scoresGoDownTheBoxAndLieInZeroToOne() {
        let (snapshot, model) = mixFixture()
        let now = Timestamp(milliseconds: 21 * Self.day)
        var requests: [RecommendationRequest] = []
        for host: Int32 in 0..<3 {
            requests.append(RecommendationRequest(host: host, k: 8, now: now))
            for seed in 0..<Int32(snapshot.articles.count) {
                requests.append(
                    RecommendationRequest(host: snapshot.articles.site[Int(seed)], seed: seed, k: 8, now: now))
                requests.append(
                    RecommendationRequest(
                        host: snapshot.articles.site[Int(seed)], seed: seed, reader: 2, k: 8, now: now))
            }
            for reader: Int32 in 0..<20 {
                requests.append(RecommendationRequest(host: host, reader: reader, k: 8, now: now))
            }
        }
        var stagesSeen = 0
        for request in requests {
            let box = model.recommend(request)
            #expect(!box.isEmpty)
            #expect(box.allSatisfy { $0.score >= 0 && $0.score <= 1 })
            #expect(zip(box, box.dropFirst()).allSatisfy { $0.score >= $1.score }, "\(box.map(\.score))")
            if Set(box.map(\.reason.source)).count > 1 { stagesSeen += 1 }
        }
        #expect(stagesSeen > 0, "some boxes mix stages, so the bands are exercised")
    }
}
