extension Timestamp {
    /// Civil date and time in UTC.
    public struct Civil: Equatable, Sendable {
        public var year: Int64
        public var month: Int64
        public var day: Int64
        public var hour: Int64
        public var minute: Int64
        public var second: Int64
        public var millisecond: Int64
    }

    /// Creates a timestamp from a proleptic Gregorian date and time in UTC.
    ///
    /// Returns `nil` when a component is out of its range (month 13, February 30, hour 24, ...).
    public init?(
        year: Int64, month: Int64, day: Int64,
        hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, millisecond: Int64 = 0
    ) {
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (0...999).contains(millisecond), (0...9999).contains(year)
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * (Self.millisecondsPerDay / 1000) + hour * 3600 + minute * 60 + second
        self.init(milliseconds: seconds * 1000 + millisecond)
    }

    /// The civil UTC date and time of this instant.
    public var civil: Civil {
        let days = day
        let msOfDay = milliseconds - days * Self.millisecondsPerDay
        let (y, m, d) = Self.civilFromDays(days)
        return Civil(
            year: y, month: m, day: d,
            hour: msOfDay / 3_600_000, minute: msOfDay / 60_000 % 60, second: msOfDay / 1000 % 60,
            millisecond: msOfDay % 1000)
    }

    /// ISO 8601 in UTC with millisecond precision, e.g. `2020-05-31T01:40:47.307Z`.
    public var iso8601: String {
        let c = civil
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):"
            + "\(pad(c.second, 2)).\(pad(c.millisecond, 3))Z"
    }

    /// The UTC calendar day, e.g. `2020-05-31`.
    public var isoDate: String {
        let c = civil
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    static func isLeap(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

private func pad(_ value: Int64, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
