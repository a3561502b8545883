import Foundation
import Testing
import TrendmixCore

/// The byte writer every widget goes through: JSON string literals, HTML escaping and numbers, as JSONEncoder
/// writes them (docs/wire-format.md).
@Suite struct UTF8OutputTests {
    private func render(_ body: (inout UTF8Output) -> Void) -> String {
        var out = UTF8Output()
        body(&out)
        return out.string
    }

    @Test(arguments: [
        ("", #""""#), ("plain title", #""plain title""#), (#"a "b" c"#, #""a \"b\" c""#),
        (#"back\slash"#, #""back\\slash""#), ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{01}x\u{1F}", #""\u0001x\u001f""#), ("a\u{2028}b\u{2029}c", "\"a\u{2028}b\u{2029}c\""),
        ("\u{8}\u{C}", #""\b\f""#),
        ("euro € and dash – stay", #""euro € and dash – stay""#), ("\u{2027}\u{202A}", "\"\u{2027}\u{202A}\""),
        ("ends with €", #""ends with €""#), ("\"", #""\"""#), ("日本語 😀", #""日本語 😀""#),
    ])
    func quotesJSONStrings(text: String, literal: String) {
        #expect(render { $0.quoted(text) } == literal)
    }

    @Test func quotesNilAsNull() {
        #expect(render { $0.quoted(nil) } == "null")
    }

    /// Random strings over an alphabet rich in characters that need escaping, and a few that look like they do
    /// (other E2 sequences): the output matches a scalar-by-scalar reference and decodes back to the input.
    @Test func quotedMatchesAReferenceAndRoundTrips() throws {
        let alphabet: [String] = [
            "a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{08}", "\u{1F}", "\u{7F}", "é", "€", "–",
            "\u{2028}", "\u{2029}", "\u{202F}", "日", "😀", "&", "<", "'",
        ]
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let text = (0..<random.next(below: 24)).map { _ in alphabet[random.next(below: alphabet.count)] }.joined()
            let literal = render { $0.quoted(text) }
            #expect(literal == Self.referenceQuoted(text))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            #expect(literal == String(decoding: try encoder.encode(text), as: UTF8.self))
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(decoded == text)
        }
    }

    @Test(arguments: [
        ("", ""), ("plain", "plain"), ("Beer, Wine & Spirits", "Beer, Wine &amp; Spirits"),
        (#"<a href="x">it's</a>"#, "&lt;a href=&quot;x&quot;&gt;it&#39;s&lt;/a&gt;"), ("&&", "&amp;&amp;"),
        ("ends with <", "ends with &lt;"), ("日本 & 😀", "日本 &amp; 😀"),
    ])
    func escapesHTML(text: String, escaped: String) {
        #expect(render { $0.escaped(text) } == escaped)
    }

    @Test(arguments: [
        (0.0, "0"), (1.5, "1.5"), (-2.25, "-2.25"), (0.711496, "0.711496"),
        (5.96709, "5.96709"), (4e-7, "0"), (-4e-7, "0"), (-5e-7, "-0.000001"),
        (123_456.789_123_4, "123456.789123"), (123_456_789.25, "123456789.25"), (9.1e12, "0"), (.nan, "0"),
        (.infinity, "0"), (1e20, "0"), (-1e20, "0"), (10, "10"), (100.5, "100.5"),
    ])
    func writesAtMostSixDecimals(value: Double, text: String) {
        #expect(render { $0.number(value) } == text)
    }

    /// JSON escaping as the renderer defines it, one scalar at a time.
    private static func referenceQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
