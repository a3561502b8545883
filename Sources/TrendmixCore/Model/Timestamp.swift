/// A point in time as whole milliseconds since 1970-01-01T00:00:00Z.
///
/// The scoring core never reads a clock: every `now` is a `Timestamp` passed in, so every run can be
/// reproduced. Milliseconds match the finest precision of the sources Trendmix imports (Stack Exchange
/// dumps carry milliseconds; DeskDrop and MovieLens carry seconds).
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch, UTC.
    public var milliseconds: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates a timestamp from whole seconds since the Unix epoch.
    public init(seconds: Int64) {
        self.milliseconds = seconds &* 1000
    }

    /// Whole seconds since the Unix epoch, rounded toward negative infinity.
    public var seconds: Int64 {
        milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    }

    /// Milliseconds in a (UTC, leap-second-free) day: the one place the number is written.
    public static let millisecondsPerDay: Int64 = 86_400_000

    /// The UTC day this instant falls on, as days since 1970-01-01.
    public var day: Int64 {
        let perDay = Self.millisecondsPerDay
        return milliseconds >= 0 ? milliseconds / perDay : (milliseconds - (perDay - 1)) / perDay
    }

    /// Noon (UTC) of a day given as days since 1970-01-01: where a daily aggregate's engagement is placed.
    public static func noon(ofDay day: Int64) -> Timestamp {
        Timestamp(milliseconds: day * millisecondsPerDay + millisecondsPerDay / 2)
    }

    /// The earliest instant Trendmix accepts: 1900-01-01T00:00:00Z.
    public static let earliest = Timestamp(milliseconds: -2_208_988_800_000)
    /// The latest instant Trendmix accepts: 2200-01-01T00:00:00Z (exclusive).
    public static let latest = Timestamp(milliseconds: 7_258_118_400_000)

    /// How far after the clock an event may be dated: one day, for partner sites' clocks and time zones that are
    /// off. An event later than that (a typo such as 2199) is refused on import and over HTTP, and a build without
    /// `now` leaves out any such event already stored: one outlier would otherwise decide the build's `now` and
    /// zero every site's trending.
    public static let futureTolerance = Duration.days(1)

    /// The latest event time accepted when the clock reads `clock`.
    public static func latestEventTime(clock: Timestamp) -> Timestamp {
        clock.adding(futureTolerance)
    }

    /// Whether the instant lies in the range Trendmix accepts (1900 up to, not including, 2200).
    public var isInAcceptedRange: Bool {
        self >= Self.earliest && self < Self.latest
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The time `duration` after this one.
    public func adding(_ duration: Duration) -> Timestamp {
        let (seconds, attoseconds) = duration.components
        return Timestamp(milliseconds: milliseconds &+ seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000)
    }

    /// ISO 8601 in UTC with millisecond precision, e.g. `2020-05-31T01:40:47.307Z`.
    public var description: String { iso8601 }

    /// Encoded as its ISO 8601 text (`"2020-05-31T01:40:47.307Z"`), the one form of a time in every JSON Trendmix
    /// writes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    /// Decoded from ISO 8601 text or Unix seconds (``TimestampParser``), or from the `{"milliseconds": n}` that
    /// earlier versions wrote.
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer(), let text = try? container.decode(String.self) {
            guard let t = TimestampParser.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not a time between 1900 and 2200: \(text)")
            }
            self = t
            return
        }
        let keyed = try decoder.container(keyedBy: LegacyKeys.self)
        self.init(milliseconds: try keyed.decode(Int64.self, forKey: .milliseconds))
    }

    private enum LegacyKeys: String, CodingKey { case milliseconds }
}
