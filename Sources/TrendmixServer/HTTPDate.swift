import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// HTTP dates (RFC 9110 IMF-fixdate), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. Written by arithmetic: a
/// DateFormatter per answer was a third of the recommendations endpoint's time under load.
enum HTTPDate {
    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ t: Timestamp) -> String {
        let c = t.civil
        let dayNumber = Int(t.day)
        let weekday = days[((dayNumber % 7) + 7) % 7]
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(weekday), \(two(c.day)) \(months[Int(c.month) - 1]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }

    /// Parses an IMF-fixdate (the form every current client sends); nil otherwise.
    static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int64(parts[1]),
            let month = months.firstIndex(of: String(parts[2])), let year = Int64(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int64($0) }
        guard clock.count == 3 else { return nil }
        return Timestamp(
            year: year, month: Int64(month + 1), day: day, hour: clock[0], minute: clock[1], second: clock[2])
    }
}
