import Foundation
import Testing
import TrendmixTestSupport

@testable import TrendmixStore

@Suite struct CSVReaderTests {
    /// Reads every record of `text` as strings, with a tiny chunk size so records straddle chunk borders.
    func records(_ text: String, chunkSize: Int = 1 << 20, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [[String]] {
        let dir = try TemporaryDirectory()
        let path = try dir.write("f.csv", text)
        let reader = try CSVReader(path: path, delimiter: delimiter, chunkSize: chunkSize)
        var out: [[String]] = []
        while try reader.next() {
            out.append((0..<reader.count).map { reader.string($0) ?? "<invalid>" })
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64, 1 << 20])
    func parsesQuotingLineBreaksAndCRLFAtEveryChunkSize(_ chunkSize: Int) throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n,,\nlast,\"\",end"
        let expected = [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["", "", ""], ["last", "", "end"]]
        #expect(try records(text, chunkSize: chunkSize) == expected)
    }

    @Test func tracksTheLineOfEachRecord() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("f.csv", "h\n\"a\nb\"\n\nc\n")
        let reader = try CSVReader(path: path)
        var lines: [Int] = []
        while try reader.next() { lines.append(reader.recordLine) }
        #expect(lines == [1, 2, 5])
    }

    @Test func readsOtherDelimitersUnquoted() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("u.item", "1|Toy \"Story\" (1995)|x\n")
        let reader = try CSVReader(path: path, delimiter: UInt8(ascii: "|"), quoting: false)
        #expect(try reader.next())
        #expect(reader.string(1) == "Toy \"Story\" (1995)")
    }

    @Test func refusesAQuoteInsideAnUnquotedField() throws {
        #expect(throws: ImportError.self) { try records("a,b\"c\n") }
    }

    @Test func refusesTextAfterAClosingQuote() throws {
        let error = try #require(throws: ImportError.self) { try records("a,\"b\"c\n") }
        #expect("\(error)".contains(":1:"))
    }

    @Test func refusesAnUnterminatedQuote() throws {
        let error = try #require(throws: ImportError.self) { try records("a\n\"b,c\nd\n") }
        #expect("\(error)".contains("never closed"))
        #expect(error.location.line == 2)
    }

    @Test func refusesAnOversizedField() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("f.csv", "a," + String(repeating: "x", count: 5000) + "\n")
        let reader = try CSVReader(path: path, maxFieldBytes: 1000, chunkSize: 64)
        #expect(throws: ImportError.self) { _ = try reader.next() }
    }

    @Test func reportsInvalidUTF8AsNil() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("f.csv", Data([0x61, 0x2C, 0xFF, 0xFE, 0x0A]))
        let reader = try CSVReader(path: path)
        #expect(try reader.next())
        #expect(reader.string(0) == "a")
        #expect(reader.string(1) == nil)
    }
}
