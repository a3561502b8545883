import Foundation
import Testing
import TrendmixCore
import TrendmixStore
import TrendmixTestSupport

@testable import Trendmix

/// Issue 18, item 15: the hand-written JSON of widgets, HTTP answers and `--json` is byte for byte what
/// `JSONEncoder` writes for the Codable wire types.
@Suite struct WireFormatTests {
    static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try WireFormat.encoder().encode(value), as: UTF8.self)
    }

    @Test func widgetsOfTheFixtureAndHostileOnesAreByteIdentical() async throws {
        var widgets = [WidgetRendererTests.hostile()]
        let engine = try await WidgetJobTests.engine()
        for host in 0..<Int32(engine.model.sites.count) {
            widgets.append(Widget(engine: engine, host: host, seed: nil, k: 8, now: WidgetJobTests.now))
        }
        for a in 0..<Int32(engine.model.articles.count) {
            widgets.append(
                Widget(engine: engine, host: engine.model.articles.site[Int(a)], seed: a, k: 8, now: WidgetJobTests.now)
            )
        }
        for w in widgets {
            #expect(WidgetRenderer.json(w) == (try Self.encoded(WireWidget(w))))
        }
    }

    @Test func itemsWithEveryKindOfTextAndNumberAreByteIdentical() throws {
        let texts: [String?] = [
            nil, "", "plain", "a/b \"q\" \\ back", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1B}\u{1F}\u{7F}",
            "line\u{2028}sep\u{2029}", "日本 😀 é e\u{301}", "</script>",
        ]
        let scores: [Double] = [0, 1, 0.65, 0.790292, -0.000005, 0.0000004, -0.0000004, 123.4567891, 1e-6, 2.5e9, .nan]
        for (i, text) in texts.enumerated() {
            for score in scores {
                var item = RecommendedItem(
                    site: "s", siteName: text ?? "n", article: text ?? "a", title: text, url: text, tag: text,
                    score: score, reason: "trending", explanation: text ?? "")
                // Cards with some fields, all of them, or none (issue 22, item 4).
                item.card =
                    [
                        nil, ArticleCard(imageURL: text), ArticleCard(author: text, description: text),
                        ArticleCard(imageURL: text, author: text, section: text, description: text),
                    ][(i + Int(score.isNaN ? 0 : score * 7)) % 4]
                for explanation in [true, false] {
                    var out = UTF8Output()
                    WidgetRenderer.json(item, explanation: explanation, into: &out)
                    #expect(
                        out.string == (try Self.encoded(WireItem(item, withExplanation: explanation))),
                        "text \(i), score \(score)")
                }
            }
        }
    }
}
