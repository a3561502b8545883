import TrendmixCore

/// What both stores' import writers share in storing widget interactions: each stores one row its own way
/// (``storeInteraction(_:at:)``), and this extension does the rest alike (clicks as events, repeats refused).
protocol InteractionWriting: ImportWriter {
    var summary: ImportSummary { get set }
    /// (host, id) of the interactions this import stored (an import repeating one is refused).
    var importedInteractions: Set<String> { get set }
    /// Stores one interaction unless its (host, id) is stored; whether it was new.
    /// - Throws: ``ImportError/invalidField(_:field:value:reason:)`` for an unknown host, seed, site or article.
    func storeInteraction(_ x: WidgetInteraction, at location: SourceLocation) throws -> Bool
}

extension InteractionWriting {
    /// Inside the import's transaction: the interactions, then the new clicks as events (``addEvent(_:at:)``).
    func record(
        _ interactions: [WidgetInteraction], location: (Int) -> SourceLocation
    ) throws -> InteractionsRecorded {
        var added = 0
        var clicks: [EngagementEvent] = []
        for (i, x) in interactions.enumerated() {
            guard try storeInteraction(x, at: location(i)) else { continue }
            added += 1
            if x.kind == .click {
                let event = EngagementEvent(
                    sourceID: "click:" + x.sourceID, site: x.site, article: x.article, reader: x.reader, type: .click,
                    time: x.time)
                if try addEvent(event, at: location(i)) { clicks.append(event) }
            }
        }
        return InteractionsRecorded(added: added, unchanged: interactions.count - added, clicks: clicks)
    }

    func recordInteraction(_ interaction: WidgetInteraction, at location: SourceLocation) throws {
        let key = interaction.host + "\u{0}" + interaction.sourceID
        guard importedInteractions.insert(key).inserted else {
            throw ImportError.conflict(
                location, field: "id",
                reason:
                    "impression '\(interaction.sourceID)' of host '\(interaction.host)' appears twice in this import")
        }
        if try storeInteraction(interaction, at: location) {
            summary.interactions.added += 1
        } else {
            summary.interactions.unchanged += 1
        }
    }
}
