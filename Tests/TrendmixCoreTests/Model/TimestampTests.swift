import Testing
import TrendmixCore

@Suite struct TimestampTests {
    @Test func parsesStackExchangeTimesWithoutZoneAsUTC() throws {
        let t = try #require(TimestampParser.parse("2014-01-21T20:26:05.383"))
        #expect(t.milliseconds == 1_390_335_965_383)
        #expect(t.iso8601 == "2014-01-21T20:26:05.383Z")
    }

    @Test func appliesZoneOffsets() throws {
        let utc = try #require(TimestampParser.parse("2024-02-29T09:30:00Z"))
        #expect(TimestampParser.parse("2024-02-29T10:30:00+01:00") == utc)
        #expect(TimestampParser.parse("2024-02-29T04:00:00-0530") == utc)
        #expect(TimestampParser.parse("2024-02-29 09:30:00") == utc)
    }

    @Test func readsUnixSecondsAndDates() {
        #expect(TimestampParser.parse("1465413032") == Timestamp(seconds: 1_465_413_032))
        #expect(TimestampParser.parse("1465413032.25") == Timestamp(milliseconds: 1_465_413_032_250))
        #expect(TimestampParser.parse("1970-01-01") == Timestamp(milliseconds: 0))
        #expect(TimestampParser.parse("2000-03-01")?.day == 11_017)
    }

    @Test func truncatesFractionsBeyondMilliseconds() {
        #expect(TimestampParser.parse("2020-01-01T00:00:00.123456789Z")?.milliseconds == 1_577_836_800_123)
    }

    @Test(arguments: [
        "", "yesterday", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-01-01T24:00:00",
        "2024-01-01T12:60:00", "2024-01-01T12:00:00+25:00", "2024-01-01T12:00:00Q", "2024-01-01T12:00",
        "1e9", "12abc", "2200-01-01", "1899-12-31T23:59:59Z", "99999999999999", "2024-01-01T12:00:00.",
        "2024-01-01T12:00:00Z trailing",
    ])
    func rejectsMalformedOrOutOfRangeTimes(_ text: String) {
        #expect(TimestampParser.parse(text) == nil)
    }

    @Test func acceptsTheLeapDayOfALeapYear() {
        #expect(TimestampParser.parse("2024-02-29") != nil)
        #expect(TimestampParser.parse("2000-02-29") != nil)
        #expect(TimestampParser.parse("1900-02-29") == nil)
    }

    @Test func roundTripsThroughCivilTime() {
        for ms: Int64 in [0, 1, -1, 86_399_999, -86_400_000, 951_782_400_000, 7_258_118_399_999, -2_208_988_800_000] {
            let t = Timestamp(milliseconds: ms)
            #expect(TimestampParser.parse(t.iso8601) == t, "\(t.iso8601)")
        }
    }

    @Test func daysRoundTowardNegativeInfinity() {
        #expect(Timestamp(milliseconds: -1).day == -1)
        #expect(Timestamp(milliseconds: 0).day == 0)
        #expect(Timestamp(milliseconds: -1).seconds == -1)
    }

    @Test func addsDurations() {
        let t = Timestamp(milliseconds: 1000)
        #expect(t.adding(.seconds(2)) == Timestamp(milliseconds: 3000))
        #expect(t.adding(.milliseconds(-1500)) == Timestamp(milliseconds: -500))
    }
}
