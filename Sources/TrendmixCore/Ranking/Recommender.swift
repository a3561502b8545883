/// Every ranking strategy and every baseline: a request in, a ranked list out. Evaluation ranks every system
/// through this protocol.
public protocol Recommender: Sendable {
    func recommend(_ request: RecommendationRequest) -> [ScoredArticle]
}
