/// How much each kind of event says about a reader's interest.
///
/// The defaults rank effort: reading is the weakest signal, reacting stronger, writing or saving the strongest.
/// They follow the weights commonly used on DeskDrop (view 1, like 2, bookmark 2.5, follow 3, comment 4);
/// answering or asking a question counts like commenting, a rating counts its stars.
public struct EventWeights: Sendable, Hashable, Codable {
    private var weights: [Double]

    /// Every type weighs 1.
    public static let uniform = EventWeights(Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0, 1.0) }))

    public static let `default` = EventWeights([
        .view: 1, .click: 1, .like: 2, .upvote: 2, .downvote: 0, .share: 3, .bookmark: 2.5, .favorite: 2.5,
        .follow: 3, .comment: 4, .answer: 4, .post: 4, .rating: 1,
    ])

    /// Types not listed weigh 0.
    public init(_ weights: [EventType: Double]) {
        var table = [Double](repeating: 0, count: (EventType.allCases.map(\.rawValue).max() ?? 0) + 1)
        for (type, w) in weights { table[type.rawValue] = w }
        self.weights = table
    }

    @inline(__always)
    public subscript(type: EventType) -> Double {
        get { weights[type.rawValue] }
        set { weights[type.rawValue] = newValue }
    }

    /// The weight of one event: its type's weight, times its value for ratings.
    @inline(__always)
    public func weight(_ type: EventType, value: Double) -> Double {
        type == .rating ? weights[type.rawValue] * value : weights[type.rawValue]
    }
}
