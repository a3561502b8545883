import Foundation
import Hummingbird

/// What the handlers answer from.
struct Endpoints: Sendable {
    let api: API
    let events: EventsEndpoint
    let impressions: ImpressionsEndpoint
    let stats: StatsEndpoint
    let articles: ArticlesEndpoint
    let metrics: @Sendable () -> Response
}
