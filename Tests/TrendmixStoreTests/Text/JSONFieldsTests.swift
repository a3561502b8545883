import Foundation
import Testing
import TrendmixCore
import TrendmixStore

/// The one strict JSON path of configuration files and POST bodies: every refusal names the value's path.
@Suite struct JSONFieldsTests {
    static func root(_ text: String) throws -> JSONFields { try JSONFields(parsing: Data(text.utf8)) }

    @Test func refusesUnknownKeysNamingTheirPathAndTheKnownOnes() throws {
        let root = try Self.root(#"{"mix": {"k": 6, "kk": 1}}"#)
        let mix = try #require(try root.object("mix"))
        #expect(mix.path == "mix.")
        #expect(throws: JSONFieldError(path: "mix.kk", reason: "unknown key; expected one of k, site_quotas")) {
            try mix.refuseUnknownKeys(allowed: ["k", "site_quotas"])
        }
        try mix.refuseUnknownKeys(allowed: ["k", "kk"])
    }

    @Test func typedGettersRefuseOtherTypesAndTreatNullAsAbsent() throws {
        let root = try Self.root(#"{"n": 1.5, "b": true, "s": "x", "z": null, "inf": "1e999", "list": ["a", 1]}"#)
        #expect(try root.number("n") == 1.5)
        #expect(try root.bool("b") == true)
        #expect(try root.string("s") == "x")
        #expect(try root.number("z") == nil && root.contains("z"))
        #expect(throws: JSONFieldError(path: "b", reason: "must be a finite number")) { try root.number("b") }
        #expect(throws: JSONFieldError(path: "n", reason: "must be true or false")) { try root.bool("n") }
        #expect(throws: JSONFieldError(path: "n", reason: "must be a string")) { try root.string("n") }
        #expect(throws: JSONFieldError(path: "missing", reason: "required")) {
            try root.string("missing", required: true)
        }
        #expect(throws: JSONFieldError(path: "list", reason: "must be a list of strings")) { try root.strings("list") }
    }

    @Test func arraysOfObjectsNameEachElement() throws {
        let root = try Self.root(#"{"events": [{"time": "2024-03-01"}, {"time": 1709294400}, {"time": "noon"}, 7]}"#)
        #expect(throws: JSONFieldError(path: "events[3]", reason: "must be an object")) { try root.objects("events") }
        let good = try Self.root(#"{"events": [{"time": "2024-03-01"}, {"time": 1709251200}, {"time": "noon"}]}"#)
        let events = try #require(try good.objects("events"))
        #expect(events.map(\.path) == ["events[0].", "events[1].", "events[2]."])
        #expect(try events[0].time("time") == TimestampParser.parse("2024-03-01"))
        #expect(try events[1].time("time") == TimestampParser.parse("2024-03-01"))
        let error = try #require(throws: JSONFieldError.self) { try events[2].time("time") }
        #expect(error.path == "events[2].time" && error.description.contains("between 1900 and 2200"))
    }

    @Test func aDocumentThatIsNotAnObjectIsRefused() {
        #expect(throws: JSONFieldError(path: "", reason: "not valid JSON")) { try Self.root("{") }
        #expect(throws: JSONFieldError(path: "", reason: "must be an object")) { try Self.root("[1]") }
    }
}
