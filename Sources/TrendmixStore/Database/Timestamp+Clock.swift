import Foundation
public import TrendmixCore

extension Timestamp {
    /// This machine's clock, to the millisecond. The scoring core never reads it; storage and the engine read it
    /// only to refuse events from the future (``Timestamp/futureTolerance``) and to stamp a build.
    public static func wallClock() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
