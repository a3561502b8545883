/// Half-lives per site: news decays faster than a travel guide.
///
/// A site's half-life is the first of: its slug's entry, its kind's entry, the default.
public struct RecencyConfiguration: Sendable, Hashable, Codable {
    public var defaultHalfLife: Duration = .days(7)
    public var byKind: [String: Duration] = [
        "news": .days(1), "blog": .days(7), "lifestyle": .days(7), "travel": .days(30), "qa": .days(14),
        "community": .days(14), "catalog": .days(30),
    ]
    public var bySite: [String: Duration] = [:]

    public init() {}

    /// The half-life of `site`.
    public func halfLife(for site: Site) -> Duration {
        bySite[site.slug] ?? byKind[site.kind] ?? defaultHalfLife
    }
}
