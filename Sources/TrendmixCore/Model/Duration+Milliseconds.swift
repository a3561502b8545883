extension Duration {
    /// The duration in (fractional) milliseconds.
    public var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// The duration in (fractional) days: ``inMilliseconds`` / 86,400,000.
    public var inDays: Double { inMilliseconds / Double(Timestamp.millisecondsPerDay) }

    /// A duration of `days` days, to the millisecond.
    public static func days(_ days: Double) -> Duration {
        .milliseconds(Int64((days * Double(Timestamp.millisecondsPerDay)).rounded()))
    }
}

extension Timestamp {
    /// The moment `duration` (rounded to the millisecond) after this one.
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(milliseconds: lhs.milliseconds + Int64(rhs.inMilliseconds.rounded()))
    }
}
