import TrendmixCore

/// Impressions and clicks of one box position.
public struct PlacementClicks: Sendable, Equatable {
    public var placement: String
    public var position: Int
    public var impressions: Int
    public var clicks: Int

    public init(placement: String, position: Int, impressions: Int, clicks: Int) {
        self.placement = placement
        self.position = position
        self.impressions = impressions
        self.clicks = clicks
    }
}

/// What click-through can be broken down by (`trendmix report ctr --by ...`).
public enum InteractionDimension: String, Sendable, Hashable, CaseIterable {
    case variant, placement, position, site

    /// The column of `widget_interaction` (joined with the host site) that holds it.
    var column: String {
        switch self {
        case .variant: "w.variant"
        case .placement: "w.placement"
        case .position: "w.position"
        case .site: "s.slug"
        }
    }
}

/// Impressions and clicks of one group of a breakdown: the group's values in the order of the dimensions asked
/// (`nil` for an interaction without a variant), as text.
public struct InteractionCounts: Sendable, Equatable {
    public var group: [String?]
    public var impressions: Int
    public var clicks: Int

    public init(group: [String?], impressions: Int, clicks: Int) {
        self.group = group
        self.impressions = impressions
        self.clicks = clicks
    }

    /// The SQL both stores run: counts per group, ordered by the group (positions as numbers, text by bytes,
    /// interactions without a variant first in both stores).
    static func query(_ dimensions: [InteractionDimension], collate: String = "") -> String {
        let columns = dimensions.map(\.column)
        let select = columns.isEmpty ? "" : columns.joined(separator: ", ") + ", "
        let group = columns.isEmpty ? "" : " GROUP BY " + columns.joined(separator: ", ")
        let order =
            columns.isEmpty
            ? ""
            : " ORDER BY "
                + columns.map { ($0 == "w.position" ? $0 : $0 + collate) + " NULLS FIRST" }.joined(separator: ", ")
        return """
            SELECT \(select)SUM(CASE WHEN w.kind = 'impression' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN w.kind = 'click' THEN 1 ELSE 0 END)
            FROM widget_interaction w JOIN site s ON s.id = w.host_site_id\(group)\(order)
            """
    }
}
