import Foundation
import Testing
import TrendmixCore

/// Three sites; articles with tags; a co-occurrence pattern; used by the mix tests.
func mixFixture(configure: (inout ModelConfiguration) -> Void = { _ in }) -> (Snapshot, RecommendationModel) {
    let day: Int64 = 86_400_000
    let sites = ["news", "travel", "blog"].map {
        Site(slug: $0, name: $0.uppercased(), kind: $0, baseURL: "https://\($0).example")
    }
    var a = Snapshot.Articles()
    // 0..3 news, 4..7 travel, 8..11 blog. Tags: 0 japan, 1 food, 2 hiking, 3 fashion.
    let tagsOf: [[Int32]] = [[0], [1], [0, 1], [3], [0, 2], [2], [1], [0], [3], [3, 0], [1], [2]]
    for i in 0..<12 {
        a.append(
            site: Int32(i / 4), externalID: "a\(i)", title: "Article \(i)", publishedAt: Int64(i) * day, tags: tagsOf[i]
        )
    }
    var e = Snapshot.Events()
    // Readers of a0 also read a4, a5 (travel) and a8 (blog); more trending activity on a6, a9, a10.
    for r in 0..<6 {
        e.append(article: 0, reader: Int32(r), type: .view, time: 20 * day)
        e.append(article: 4, reader: Int32(r), type: .view, time: 20 * day)
        if r < 4 { e.append(article: 5, reader: Int32(r), type: .view, time: 20 * day) }
        if r < 2 { e.append(article: 8, reader: Int32(r), type: .view, time: 20 * day) }
    }
    for r in 6..<20 {
        e.append(article: 6, reader: Int32(r), type: .view, time: 21 * day)
        e.append(article: 9, reader: Int32(r), type: .view, time: 21 * day)
        if r < 12 { e.append(article: 10, reader: Int32(r), type: .view, time: 21 * day) }
    }
    let snapshot = Snapshot(
        sites: sites, articles: a, tags: ["japan", "food", "hiking", "fashion"], readers: (0..<20).map { "r\($0)" },
        events: e)
    var c = ModelConfiguration()
    c.cooccurrence.measure = .count
    c.cooccurrence.weights = .uniform
    configure(&c)
    return (snapshot, RecommendationModel(snapshot: snapshot, configuration: c, now: Timestamp(milliseconds: 21 * day)))
}

@Suite struct MixTests {
    let now = Timestamp(milliseconds: 21 * 86_400_000)

    @Test func relatedArticlesComeFromTheOtherSitesWithReasons() {
        let (_, model) = mixFixture()
        let box = model.recommend(RecommendationRequest(host: 0, seed: 0, k: 3, now: now))
        #expect(box.count == 3)
        #expect(box.allSatisfy { model.articles.site[Int($0.article)] != 0 })
        #expect(box[0].article == 4)
        #expect(
            box[0].reason.source == .cooccurrence && box[0].reason.cooccurrenceCount == 6 && box[0].reason.seed == 0)
    }

    @Test func quotasMakeARealMix() {
        // k = 4 over two other sites: at most 2 per site while both have candidates.
        let (_, model) = mixFixture()
        let box = model.recommend(RecommendationRequest(host: 0, k: 4, now: now))
        var perSite: [Int32: Int] = [:]
        for item in box { perSite[model.articles.site[Int(item.article)], default: 0] += 1 }
        #expect(box.count == 4)
        #expect(perSite == [1: 2, 2: 2])
    }

    /// Two news sites, "busy" (0) and "quiet" (1), with `n` articles each, one published a day: reader 0 read a0 on
    /// day 1; the busy site's i-th article is read by `busyReaders(i)` readers on `busyDay`, each quiet one by a
    /// single reader on day 1.
    static func busyAndQuiet(articles n: Int, busyDay: Int64, busyReaders: (Int) -> Int) -> Snapshot {
        let day: Int64 = 86_400_000
        let sites = ["busy", "quiet"].map { Site(slug: $0, name: $0, kind: "news", baseURL: "https://\($0).example") }
        var a = Snapshot.Articles()
        for i in 0..<(2 * n) { a.append(site: Int32(i / n), externalID: "a\(i)", publishedAt: Int64(i % n) * day) }
        let quietReader = Int32((0..<n).map(busyReaders).max() ?? 0) + 1
        var e = Snapshot.Events()
        e.append(article: 0, reader: 0, type: .view, time: 1 * day)
        for i in 0..<n {
            for r in 0..<busyReaders(i) {
                e.append(article: Int32(i), reader: Int32(r + 1), type: .view, time: busyDay * day)
            }
            e.append(article: Int32(n + i), reader: quietReader, type: .view, time: 1 * day)
        }
        return Snapshot(
            sites: sites, articles: a, tags: [], readers: (0...quietReader).map { "r\($0)" }, events: e)
    }

    /// A busy site and a nearly quiet one: in a box for a reader, each site's share of the slots follows its
    /// engagement now; the group's mix (no reader) and the switch off keep ⌈k/m⌉ each.
    @Test func aReadersBoxGivesEachSiteTheShareItsEngagementHasNow() {
        let now = Timestamp(milliseconds: 30 * 86_400_000)
        let snapshot = Self.busyAndQuiet(articles: 10, busyDay: 29) { 1 + 3 * $0 }
        func counts(readerQuotasByEngagement: Bool, reader: Int32?) -> [Int32: Int] {
            var c = ModelConfiguration()
            c.mix.readerQuotasByEngagement = readerQuotasByEngagement
            let model = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
            let box = model.recommend(RecommendationRequest(reader: reader, k: 6, now: now))
            #expect(box.count == 6)
            return box.reduce(into: [:]) { $0[model.articles.site[Int($1.article)], default: 0] += 1 }
        }
        #expect((counts(readerQuotasByEngagement: true, reader: 0)[0] ?? 0) >= 5)
        #expect(counts(readerQuotasByEngagement: false, reader: 0) == [0: 3, 1: 3])
        #expect(counts(readerQuotasByEngagement: true, reader: nil) == [0: 3, 1: 3])
    }

    /// Only the sites among a box's candidates get a quota: the host, busy and left out, against a site whose
    /// engagement decayed to 1e-60 of it, once asked for a quota beyond `Int.max` (a trap).
    @Test func aQuietSitesShareAgainstABusyHostIsAQuotaNotACrash() {
        let now = Timestamp(milliseconds: 201 * 86_400_000)
        let snapshot = Self.busyAndQuiet(articles: 4, busyDay: 200) { _ in 1 }
        let model = RecommendationModel(snapshot: snapshot, configuration: ModelConfiguration(), now: now)
        #expect(model.siteEngagement[1] > 0 && model.siteEngagement[0] / model.siteEngagement[1] > 1e50)
        let box = model.recommend(RecommendationRequest(host: 0, reader: 0, k: 4, now: now))
        #expect(box.map { model.articles.site[Int($0.article)] }.prefix(4) == [1, 1, 1, 1])
    }

    @Test func aSiteMayExceedItsShareWhenTheOthersRunDry() {
        // Only travel is allowed by the filter: all four items come from it.
        let (_, model) = mixFixture()
        let box = model.recommend(RecommendationRequest(host: 0, k: 4, sites: [1], now: now))
        #expect(box.count == 4)
        #expect(box.allSatisfy { model.articles.site[Int($0.article)] == 1 })
    }

    @Test func tagDiversityPrefersNewTags() {
        // Blog trending: a9 (fashion) and a10 (food) lead; a8 is fashion too, a11 hiking.
        let (_, model) = mixFixture()
        let box = model.recommend(RecommendationRequest(host: 0, k: 2, sites: [2], now: now))
        let firstTags = box.map { model.articles.tags(of: Int($0.article)).first }
        #expect(Set(firstTags).count == 2)
    }

    @Test func excludesTheSeedTheReadersHistoryAndTheExcludeList() {
        let (_, model) = mixFixture()
        // r0 read a0, a4, a5, a8.
        let box = model.recommend(RecommendationRequest(host: 3, seed: 0, reader: 0, k: 12, exclude: [6], now: now))
        let ids = Set(box.map(\.article))
        #expect(ids.isDisjoint(with: [0, 4, 5, 8, 6]))
        #expect(!ids.isEmpty)
    }

    @Test func fallsBackToTagsThenTrendingThenNewestSoItIsNeverEmpty() {
        let (_, model) = mixFixture()
        // a3 has no co-occurrence; it shares "fashion" with a8 and a9.
        let box = model.recommend(RecommendationRequest(host: 0, seed: 3, k: 6, now: now))
        #expect(box.count == 6)
        #expect(box.first?.reason.source == .tags)
        #expect(box.first.map(model.sharedTags(of:)) == [3])
        // An item that is not this model's (a negative or too large index) names no tags instead of trapping.
        for (seed, article): (Int32, Int32) in [(-1, 8), (3, -1), (3, 1_000), (Int32.max, 8)] {
            let item = ScoredArticle(
                article: article, score: 1, reason: Explanation(source: .tags, seed: seed, tagSimilarity: 0.5))
            #expect(model.sharedTags(of: item).isEmpty)
        }
        #expect(box.contains { $0.reason.source == .trending })
    }

    @Test func filtersByTagAndPublishWindowAndFreshness() {
        let day: Int64 = 86_400_000
        let (_, model) = mixFixture()
        let byTag = model.recommend(RecommendationRequest(host: 0, k: 8, tags: [2], now: now))
        #expect(byTag.allSatisfy { model.articles.tags(of: Int($0.article)).contains(2) })
        let window = model.recommend(
            RecommendationRequest(host: 0, k: 8, publishedAfter: 6 * day, publishedBefore: 10 * day, now: now))
        #expect(Set(window.map(\.article)) == [6, 7, 8, 9])
        let (_, fresh) = mixFixture { $0.mix.maxAge = .days(12) }
        let recent = fresh.recommend(RecommendationRequest(host: 0, k: 8, now: now))
        #expect(recent.allSatisfy { (fresh.articles.publishedAt[Int($0.article)] ?? 0) >= 9 * day })
    }

    @Test func personalisesFromTheReadersHistory() {
        let (_, model) = mixFixture()
        // r12 read a6 and a9; readers of a6 also read a10, which r12 has not: the personal stage offers it first.
        let box = model.recommend(RecommendationRequest(host: 0, reader: 12, k: 3, now: now))
        #expect(box.first?.article == 10)
        #expect(box.first?.reason.source == .personalized)
        #expect(box.first?.reason.seed == 6)
    }

    @Test func freshnessBlendsEvidenceWithWhatIsHotNow() {
        // r12's evidence points to a10 (blog); the hottest of every site lately is a0 on news (its site's best).
        let (_, evidenceOnly) = mixFixture {
            $0.mix.freshness = 0
            $0.mix.freshnessByKind = [:]
        }
        #expect(evidenceOnly.recommend(RecommendationRequest(reader: 12, k: 3, now: now)).first?.article == 10)
        let (_, hotOnly) = mixFixture {
            $0.mix.freshness = 1
            $0.mix.freshnessByKind = [:]
        }
        let box = hotOnly.recommend(RecommendationRequest(reader: 12, k: 3, now: now))
        #expect(box.first?.article == 0)
        #expect(box.first?.reason.source == .trending)
        // Half and half: a10 has full evidence and 8/14 of its site's best recent rate: it leads again.
        let (_, half) = mixFixture {
            $0.mix.freshness = 0.5
            $0.mix.freshnessByKind = [:]
        }
        #expect(half.recommend(RecommendationRequest(reader: 12, k: 3, now: now)).first?.article == 10)
    }

    @Test func aSiteWithNothingGoingOnLatelyHasNoHotList() {
        // Over a year after the last event every site's recent rate is far below its usual one (travel, with a
        // 30-day half-life, the slowest).
        let day: Int64 = 86_400_000
        let (snapshot, _) = mixFixture()
        var c = ModelConfiguration()
        c.mix.freshness = 1
        c.mix.freshnessByKind = [:]
        let later = RecommendationModel(snapshot: snapshot, configuration: c, now: Timestamp(milliseconds: 400 * day))
        #expect(later.activity.allSatisfy { $0 < 0.05 })
        let (_, fresh) = mixFixture()
        #expect(fresh.activity.allSatisfy { $0 == 1 })
    }

    @Test func sameInputGivesTheSameBox() {
        let (_, a) = mixFixture()
        let (_, b) = mixFixture()
        for host: Int32 in 0..<3 {
            #expect(
                a.recommend(RecommendationRequest(host: host, k: 5, now: now))
                    == b.recommend(RecommendationRequest(host: host, k: 5, now: now)))
        }
    }

    /// Readers of a0 read a4 more often than a5 overall, but a5 is what they open within the same visit.
    static func sessionSnapshot() -> Snapshot {
        let day: Int64 = 86_400_000
        let sites = ["news", "travel"].map { Site(slug: $0, name: $0, kind: $0, baseURL: "https://\($0).example") }
        var a = Snapshot.Articles()
        for i in 0..<8 { a.append(site: Int32(i / 4), externalID: "a\(i)", publishedAt: Int64(i) * day) }
        var e = Snapshot.Events()
        for r in Int32(0)..<6 {
            e.append(article: 0, reader: r, session: r, type: .view, time: 20 * day)
            e.append(article: 4, reader: r, session: 100 + r, type: .view, time: 10 * day)
            if r < 4 { e.append(article: 5, reader: r, session: r, type: .view, time: 20 * day + 60_000) }
        }
        return Snapshot(sites: sites, articles: a, tags: [], readers: (0..<6).map { "r\($0)" }, events: e)
    }

    @Test(arguments: [0.0, 0.5])
    func readInTheSameVisitWeighsByTheSessionWeight(_ weight: Double) throws {
        var c = ModelConfiguration()
        c.cooccurrence.measure = .count
        c.mix.relatedFreshness = 0
        c.mix.sessionWeight = weight
        let model = RecommendationModel(snapshot: Self.sessionSnapshot(), configuration: c, now: now)
        let box = model.recommend(RecommendationRequest(host: 0, seed: 0, k: 2, now: now))
        #expect(box.map(\.article) == (weight == 0 ? [4, 5] : [5, 4]))
        // a4: 6 readers, 1.0 of the row's best; a5: 4 readers (0.667) and 4 of 4 visits (1.0).
        let a5 = try #require(box.first { $0.article == 5 })
        #expect(a5.reason.source == .cooccurrence && a5.reason.cooccurrenceCount == 4)
        #expect(a5.reason.sessionCount == (weight == 0 ? nil : 4))
        #expect(model.sessionNeighbours.row(0).count == (weight == 0 ? 0 : 1))
    }

    @Test func anItemOnlyTheSessionIndexKnowsIsExplainedBySessions() {
        var c = ModelConfiguration()
        c.cooccurrence.measure = .count
        c.cooccurrence.neighbours = 1  // the reader index keeps a4 only
        c.mix.relatedFreshness = 0
        let model = RecommendationModel(snapshot: Self.sessionSnapshot(), configuration: c, now: now)
        let box = model.recommend(RecommendationRequest(host: 0, seed: 0, k: 2, now: now))
        let a5 = box.first { $0.article == 5 }
        #expect(a5?.reason.source == .session && a5?.reason.sessionCount == 4 && a5?.reason.seed == 0)
    }

    /// Readers of a0 also read a4 (6) and a5 (3); readers of a1 read a6 (5), which a0's row does not hold.
    static func visitSnapshot() -> Snapshot {
        let day: Int64 = 86_400_000
        let sites = ["news", "travel"].map { Site(slug: $0, name: $0, kind: $0, baseURL: "https://\($0).example") }
        var a = Snapshot.Articles()
        for i in 0..<8 { a.append(site: Int32(i / 4), externalID: "a\(i)", publishedAt: Int64(i) * day) }
        var e = Snapshot.Events()
        for (articles, readers) in [([0, 4], 0..<6), ([1, 6], 6..<11), ([0, 5], 11..<14)] as [([Int32], Range<Int32>)] {
            for r in readers {
                for x in articles { e.append(article: x, reader: r, type: .view, time: 20 * day + Int64(x) * 60_000) }
            }
        }
        return Snapshot(sites: sites, articles: a, tags: [], readers: (0..<14).map { "r\($0)" }, events: e)
    }

    @Test(arguments: [0.0, 2.0])
    func theVisitBeforeTheSeedAddsItsRowsAndIsLeftOut(_ decay: Double) throws {
        var c = ModelConfiguration()
        c.cooccurrence.measure = .count
        c.mix.relatedFreshness = 0
        c.mix.visitDecay = decay
        let model = RecommendationModel(snapshot: Self.visitSnapshot(), configuration: c, now: now)
        // Read a1, then a5, then a0: a5 is one place before the seed, a1 two.
        let box = model.recommend(RecommendationRequest(host: 0, seed: 0, visit: [1, 5], k: 3, now: now))
        #expect(box.first?.article == 4)
        #expect(!box.contains { $0.article == 5 }, "an article read in this visit is not offered again")
        let a6 = box.first { $0.article == 6 }
        if decay == 0 {
            #expect(a6?.reason.source != .cooccurrence)
        } else {
            // a4: 6 of 6 at α = 9 / 14; a6: 5 of 5 at exp(−2 / 2), ahead of anything trending.
            #expect(box.map(\.article).prefix(2) == [4, 6])
            #expect(a6?.reason.source == .cooccurrence && a6?.reason.seed == 1 && a6?.reason.cooccurrenceCount == 5)
        }
        // Only the last 20 of a visit count: a5 read 21 places before the seed is offered again.
        let long = [5] + [Int32](repeating: 2, count: 20)
        let far = model.recommend(RecommendationRequest(host: 0, seed: 0, visit: long, k: 3, now: now))
        #expect(far.contains { $0.article == 5 })
        // Without a visit, the box is the seed's alone.
        let plain = model.recommend(RecommendationRequest(host: 0, seed: 0, k: 3, now: now))
        #expect(plain.map(\.article).prefix(2) == [4, 5])
    }

    @Test func noSessionsNoSessionIndex() {
        // The fixture's events carry no session: nothing is built, and related items are as before.
        let (_, model) = mixFixture()
        #expect(model.sessionNeighbours.neighbours.isEmpty)
        #expect(model.sessionNeighbours.articleCount == model.articles.count)
    }

    /// One blog. a0 and a1 are old and co-read by many; a2 and a3 were shared a day before `now`, a3 with one
    /// more reader than a2; r0 read a0, and one reader of a2 (r10) read a0 too.
    static func hotSnapshot() -> (Snapshot, Timestamp) {
        let day: Int64 = 86_400_000
        let now = 100 * day
        var a = Snapshot.Articles()
        for (i, published) in [10 * day, 10 * day, now - day, now - day].enumerated() {
            a.append(site: 0, externalID: "a\(i)", publishedAt: published)
        }
        var e = Snapshot.Events()
        for r in Int32(1)..<9 {
            e.append(article: 0, reader: r, type: .view, time: 11 * day)
            e.append(article: 1, reader: r, type: .view, time: 11 * day)
        }
        e.append(article: 0, reader: 0, type: .view, time: 12 * day)
        e.append(article: 0, reader: 10, type: .view, time: 12 * day)
        for r in Int32(10)..<19 { e.append(article: 2, reader: r, type: .view, time: now - day / 2) }
        for r in Int32(20)..<30 { e.append(article: 3, reader: r, type: .view, time: now - day / 2) }
        let site = Site(slug: "blog", name: "Blog", kind: "blog", baseURL: "https://blog.example")
        return (
            Snapshot(sites: [site], articles: a, tags: [], readers: (0..<30).map { "r\($0)" }, events: e),
            Timestamp(milliseconds: now)
        )
    }

    @Test func hotnessIsTheLifetimeRateOfReadersReached() {
        let (snapshot, now) = Self.hotSnapshot()
        var c = ModelConfiguration()
        c.mix.hotGravity = 1.2
        let model = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        // a3: 10 views, published 24 hours ago.
        #expect(abs(model.hotness[3] - 10 / pow(26.0, 1.2)) < 1e-12)
        #expect(model.hotOrder[0].prefix(2) == [3, 2])
        // Counting engagement instead of readers: a3's 10 views by 10 readers are the same either way; one
        // reader viewing a3 five more times moves only the engagement count.
        var again = snapshot
        for _ in 0..<5 { again.events.append(article: 3, reader: 20, type: .view, time: now.milliseconds) }
        let readers = RecommendationModel(snapshot: again, configuration: c, now: now)
        c.mix.hotCounts = .engagement
        let engagement = RecommendationModel(snapshot: again, configuration: c, now: now)
        #expect(readers.hotness[3] == model.hotness[3])
        #expect(abs(engagement.hotness[3] - 15 / pow(26.0, 1.2)) < 1e-12)
        c.mix.hotCounts = .readers
        c.mix.hotGravity = nil
        let recent = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        #expect(recent.hotness == recent.trending.recentRate)
    }

    @Test func amongWhatIsHotTheReadersPickComesFirst() throws {
        // r0's history points to a1 strongly (8 shared readers) and to a2 weakly (1). The two hottest are a3 and
        // a2 (heat 1 and 0.9). Over the personal stage's best, a2's evidence would be 1/8 and a3, hotter, would
        // lead; as personal score · heat over the best such product it is 1 (a1's product is tiny: a1 is 89 days
        // old): 0.4 · 1 + 0.6 · 0.9 against 0.6 · 1.
        let (snapshot, now) = Self.hotSnapshot()
        var c = ModelConfiguration()
        c.cooccurrence.measure = .count
        c.mix.candidatesPerStage = 2
        let model = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        let box = model.recommend(RecommendationRequest(reader: 0, k: 2, now: now))
        #expect(box.map(\.article) == [2, 3])
        #expect(box[0].reason.source == .personalized && box[1].reason.source == .trending)
    }

    @Test func readerSpecificHotnessPutsWhatIsReadNowBeforeOldFavourites() throws {
        // As above, plus a4: published a day ago, read by 5 readers none of whom r0 shares (heat 0.5). r0's old
        // favourite a1 has personal score 8 but is barely read now. With ρ = 0 (and 50 candidates, so every
        // article read at all is a hot candidate) a1's evidence is 8/8 = 1 and a2's 1/8: a1 scores 0.4 · 1
        // against a4's 0.6 · 0.5, and a2 (0.4/8 + 0.6 · 0.9) falls behind a3 (0.6). With ρ = 1, a1's evidence is
        // 8 · heat(a1) / 0.9 ≈ 0 and a2's 1: a2, a3, then a4 before a1.
        var (snapshot, now) = Self.hotSnapshot()
        snapshot.articles.append(site: 0, externalID: "a4", publishedAt: now.milliseconds - 86_400_000)
        snapshot.readers += (30..<35).map { "r\($0)" }
        for r in Int32(30)..<35 { snapshot.events.append(article: 4, reader: r, type: .view, time: now.milliseconds) }
        var c = ModelConfiguration()
        c.cooccurrence.measure = .count
        let hot = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        #expect(abs(hot.hotness[4] / hot.hotness[3] - 0.5) < 1e-12)
        #expect(hot.recommend(RecommendationRequest(reader: 0, k: 4, now: now)).map(\.article) == [2, 3, 4, 1])
        c.mix.personalHotness = 0
        let plain = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        #expect(plain.recommend(RecommendationRequest(reader: 0, k: 4, now: now)).map(\.article) == [3, 2, 1, 4])
    }

    @Test func aHotArticleMissingFromOldRowsFindsTheReaderThroughItsOwnRow() throws {
        // One neighbour per row: a0's row holds a1 (8 shared readers), not a2 (1). a2's own row holds a0, the
        // reader's article, so a2 keeps its personal evidence and leads as in the full index.
        let (snapshot, now) = Self.hotSnapshot()
        var c = ModelConfiguration()
        c.cooccurrence.measure = .count
        c.cooccurrence.neighbours = 1
        c.mix.candidatesPerStage = 2
        let model = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        #expect(!model.neighbours.row(0).map { model.neighbours.neighbours[$0] }.contains(2))
        #expect(model.neighbours.row(2).map { model.neighbours.neighbours[$0] } == [0])
        #expect(model.recommend(RecommendationRequest(reader: 0, k: 2, now: now)).map(\.article) == [2, 3])
    }

    @Test func postedEventsReachReadersOnce() {
        let (snapshot, now) = Self.hotSnapshot()
        let model = RecommendationModel(snapshot: snapshot, configuration: ModelConfiguration(), now: now)
        // r10 read a0 and a2 before the build; r0 read a0 only; -1 is a reader the model does not know.
        #expect(model.reach(reader: 10, article: 2, weight: 1) == 0)
        #expect(model.reach(reader: 0, article: 2, weight: 1) == 1)
        #expect(model.reach(reader: -1, article: 2, weight: 2) == 1)
        #expect(model.reach(reader: nil, article: 2, weight: 2) == 2)
        #expect(model.reach(reader: 0, article: 2, weight: 0) == 0)
        let events = [(reader: Int32(10), weight: 1.0), (0, 1), (0, 2)].map {
            (article: Int32(2), weight: $0.weight, reach: model.reach(reader: $0.reader, article: 2, weight: $0.weight))
        }
        let live = model.addingEngagement(events)
        #expect(live.trending.reach[2] == model.trending.reach[2] + 2)
        #expect(live.trending.total[2] == model.trending.total[2] + 4)
    }

    @Test func postedEngagementMovesHackerNewsGravityLive() {
        let (snapshot, now) = Self.hotSnapshot()
        var c = ModelConfiguration()
        c.trending.measure = .hackerNewsGravity
        let model = RecommendationModel(snapshot: snapshot, configuration: c, now: now)
        let live = model.addingEngagement([(article: 2, weight: 3.0)])
        // a2: 9 views, then 3 more, published 24 hours before `now`.
        #expect(abs(model.trending.score[2] - 8 / pow(26.0, 1.8)) < 1e-12)
        #expect(abs(live.trending.score[2] - 11 / pow(26.0, 1.8)) < 1e-12)
        // As a rebuild with the same events would score it.
        var e = snapshot
        for r in Int32(25)..<28 { e.events.append(article: 2, reader: r, type: .view, time: now.milliseconds) }
        let rebuilt = RecommendationModel(snapshot: e, configuration: c, now: now)
        #expect(abs(rebuilt.trending.score[2] - live.trending.score[2]) < 1e-12)
    }

    @Test func postedEngagementMovesHotnessLive() {
        let (snapshot, now) = Self.hotSnapshot()
        let model = RecommendationModel(snapshot: snapshot, configuration: ModelConfiguration(), now: now)
        let live = model.addingEngagement((0..<5).map { _ in (article: 2, weight: 1.0) })
        #expect(live.hotness[2] > model.hotness[3] && live.hotOrder[0].first == 2)
        #expect(live.trending.total[2] == model.trending.total[2] + 5)
    }

    @Test func aRequestLeavesNothingBehindForTheNext() {
        // Requests share scratch rows: a reader's box, then boxes under each article, must equal the same boxes
        // asked of a fresh model (a stale row once gave a related item a reader's position and crashed).
        for configure in [{ (_: inout ModelConfiguration) in }, { $0.cooccurrence.neighbours = 1 }] {
            let (_, used) = mixFixture(configure: configure)
            for reader in Int32(0)..<20 { _ = used.recommend(RecommendationRequest(reader: reader, k: 6, now: now)) }
            for seed in Int32(0)..<12 {
                let (_, fresh) = mixFixture(configure: configure)
                let request = RecommendationRequest(host: 0, seed: seed, k: 6, now: now)
                #expect(used.recommend(request) == fresh.recommend(request))
            }
        }
    }
}
