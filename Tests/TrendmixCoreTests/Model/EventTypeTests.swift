import Testing
import TrendmixCore

@Suite struct EventTypeTests {
    @Test func namesRoundTrip() {
        for type in EventType.allCases {
            #expect(EventType(name: type.name) == type)
        }
    }

    @Test func voteMeansUpvote() {
        #expect(EventType(name: "vote") == .upvote)
        #expect(EventType(name: "VIEW") == nil)
        #expect(EventType(name: "") == nil)
    }

    @Test func codesAreStable() {
        // Codes are stored in databases; changing one would corrupt them.
        #expect(EventType.view.rawValue == 1)
        #expect(EventType.comment.rawValue == 4)
        #expect(EventType.rating.rawValue == 13)
        #expect(Set(EventType.allCases.map(\.rawValue)).count == EventType.allCases.count)
    }

    @Test func slugsAreValidated() {
        #expect(Site.isValidSlug("beer.meta"))
        #expect(Site.isValidSlug("news_2-x"))
        #expect(!Site.isValidSlug(""))
        #expect(!Site.isValidSlug("News"))
        #expect(!Site.isValidSlug("a b"))
        #expect(!Site.isValidSlug(String(repeating: "a", count: 65)))
    }
}
