public import TrendmixCore

/// What is stored with a model besides its tables.
public struct ModelStamp: Sendable, Equatable, Codable {
    /// The `now` the model was built for.
    public var builtFor: Timestamp
    /// When the build ran (wall clock).
    public var computedAt: Timestamp
    /// The effective configuration as JSON, and its hash.
    public var configuration: String
    public var configurationHash: String
    public var windowStart: Timestamp?
    public var windowEnd: Timestamp?

    public init(
        builtFor: Timestamp, computedAt: Timestamp, configuration: String, configurationHash: String,
        windowStart: Timestamp?, windowEnd: Timestamp?
    ) {
        self.builtFor = builtFor
        self.computedAt = computedAt
        self.configuration = configuration
        self.configurationHash = configurationHash
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
