import Testing
import TrendmixCore

@Suite struct SnapshotTests {
    @Test func keepingEventsCutsTheWindowAndKeepsTheCatalogue() {
        let day: Int64 = 86_400_000
        var s = makeSnapshot(
            articles: 3, readers: 2,
            [(0, 0, .view, 1 * day, -1), (1, 1, .like, 5 * day, -1), (1, 2, .view, 9 * day, -1)])
        s.daily.append(article: 0, day: 2, views: 5, votes: 0, score: 0, comments: 0)
        s.daily.append(article: 1, day: 6, views: 7, votes: 1, score: 1, comments: 0)
        let cut = s.keepingEvents(from: Timestamp(milliseconds: 5 * day))
        #expect(cut.events.count == 2)
        #expect(cut.events.article == [1, 2])
        #expect(cut.daily.article == [1])
        #expect(cut.articles == s.articles)
        #expect(cut.readers == s.readers)
        #expect(cut.lastEventTime == Timestamp(milliseconds: 9 * day))
    }
}
