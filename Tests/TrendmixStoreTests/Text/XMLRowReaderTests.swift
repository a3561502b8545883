import Testing
import TrendmixTestSupport

@testable import TrendmixStore

@Suite struct XMLRowReaderTests {
    func rows(_ text: String, chunkSize: Int = 1 << 20, attribute: String = "A") throws -> [String?] {
        let dir = try TemporaryDirectory()
        let reader = try XMLRowReader(path: try dir.write("x.xml", text), chunkSize: chunkSize)
        var out: [String?] = []
        while try reader.next() { out.append(try reader.value(attribute)) }
        return out
    }

    @Test(arguments: [1, 3, 8, 1 << 20])
    func readsRowsAndDecodesEntities(_ chunkSize: Int) throws {
        let text = """
            \u{FEFF}<?xml version="1.0" encoding="utf-8"?>
            <posts>
              <row Id="1" A="&lt;hops&gt;&lt;ipa&gt; &amp; &quot;more&quot; &#xA;&#233;" />
              <!-- a comment -->
              <row Id="2" B='x'/>
              <row Id="3" A="plain">
              </row>
            </posts>

            """
        #expect(try rows(text, chunkSize: chunkSize) == ["<hops><ipa> & \"more\" \né", nil, "plain"])
    }

    @Test func reportsTruncationAfterTheLastCompleteRow() throws {
        let error = try #require(throws: ImportError.self) {
            try rows("<posts>\n<row A=\"1\" />\n<row A=\"2\" />\n")
        }
        #expect("\(error)".contains("truncated after row #2"))
    }

    @Test func reportsTruncationInsideARow() throws {
        let error = try #require(throws: ImportError.self) { try rows("<posts>\n<row A=\"1\" />\n<row A=\"2") }
        #expect(error.location.line == 3)
        #expect("\(error)".contains("row #2"))
    }

    @Test(arguments: [
        "<posts><row A=1 /></posts>", "<posts><row A=\"1\" /></votes>", "<posts><item A=\"1\" /></posts>",
        "<posts><row A=\"a<b\" /></posts>", "<posts><row A=\"1\" /></posts>extra", "just text",
        "<posts><row A=\"1\"></posts>", "<posts><row A=\"1\" B /></posts>",
    ])
    func refusesMalformedXML(_ text: String) throws {
        #expect(throws: ImportError.self) { try rows(text) }
    }

    @Test func refusesUnknownEntities() throws {
        #expect(throws: ImportError.self) { try rows("<posts><row A=\"&nbsp;\" /></posts>") }
        #expect(throws: ImportError.self) { try rows("<posts><row A=\"a & b\" /></posts>") }
    }

    @Test func refusesAnEmptyFile() throws {
        let error = try #require(throws: ImportError.self) { try rows("") }
        guard case .empty = error else {
            Issue.record("expected .empty, got \(error)")
            return
        }
    }
}
