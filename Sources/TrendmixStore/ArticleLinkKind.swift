import TrendmixCore

/// How two articles are linked by their site (Stack Exchange's PostLinks).
public enum ArticleLinkKind: String, Sendable, Codable, CaseIterable {
    case related
    case duplicate
}
