extension Duration {
    /// The duration in (fractional) milliseconds.
    public var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// A duration of `days` days.
    public static func days(_ days: Double) -> Duration {
        .milliseconds(Int64((days * 86_400_000).rounded()))
    }
}
