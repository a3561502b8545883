/// A partner site: one of the publisher group's properties whose articles Trendmix mixes.
public struct Site: Hashable, Sendable, Codable {
    /// Short stable identifier, e.g. `beer` or `travel`: lowercase letters, digits, `.`, `-`, `_`.
    public var slug: String
    /// Display name shown in widgets, e.g. "GaijinPot Travel".
    public var name: String
    /// What kind of site it is (`news`, `travel`, `blog`, `lifestyle`, `qa`, ...); decay defaults may differ per kind.
    public var kind: String
    /// The site's home URL (`https://...`).
    public var baseURL: String

    public init(slug: String, name: String, kind: String, baseURL: String) {
        self.slug = slug
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
    }

    /// Whether `slug` is a valid site or kind identifier: 1 to 64 characters of `a-z`, `0-9`, `.`, `-`, `_`.
    public static func isValidSlug(_ slug: String) -> Bool {
        guard (1...64).contains(slug.utf8.count) else { return false }
        return slug.utf8.allSatisfy { c in
            (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 46 || c == 45 || c == 95
        }
    }
}
