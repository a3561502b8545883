import Testing

@testable import TrendmixStore

/// A question's body as a card's description (issue 22, item 4): text, not markup.
@Suite struct PlainTextTests {
    @Test func tagsGoEntitiesAreDecodedAndCodeIsLeftOut() {
        #expect(
            PlainText.fromHTML(
                "<p>Citra &amp; Mosaic hops:\n<em>why</em>?</p>\n<pre><code>x = 1</code></pre><p>Then.</p>", limit: 200)
                == "Citra & Mosaic hops: why? Then.")
        #expect(
            PlainText.fromHTML("<p>a &lt;b&gt; &#233;t&#xE9; &unknown; &amp</p>", limit: 200)
                == "a <b> été &unknown; &amp")
        #expect(PlainText.fromHTML("<img src=x onerror=alert(1)>", limit: 200) == nil)
        #expect(PlainText.fromHTML("", limit: 10) == nil)
    }

    @Test func longTextIsCutAtAWord() {
        let text = PlainText.fromHTML("<p>" + String(repeating: "word ", count: 100) + "</p>", limit: 42)
        #expect(text == "word word word word word word word word…")
        #expect(
            PlainText.fromHTML(String(repeating: "x", count: 60), limit: 10) == String(repeating: "x", count: 10) + "…")
    }
}
