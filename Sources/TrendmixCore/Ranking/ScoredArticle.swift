/// One recommended article with its score and reason.
public struct ScoredArticle: Sendable, Hashable, BitwiseCopyable {
    public var article: Int32
    public var score: Double
    public var reason: Explanation

    public init(article: Int32, score: Double, reason: Explanation) {
        self.article = article
        self.score = score
        self.reason = reason
    }
}
