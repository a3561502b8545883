/// What a reader did to an article.
///
/// The raw value is the stable code stored in the database (`event_type.code`); the name is the word
/// the canonical import format uses. Codes are never reused: a new kind gets the next number in a
/// new migration.
public enum EventType: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case view = 1
    case click = 2
    case like = 3
    case comment = 4
    case share = 5
    case upvote = 6
    case downvote = 7
    case favorite = 8
    case bookmark = 9
    case follow = 10
    case answer = 11
    case post = 12
    case rating = 13

    /// The name used by the canonical format and the CLI, e.g. `"comment"`.
    public var name: String {
        switch self {
        case .view: "view"
        case .click: "click"
        case .like: "like"
        case .comment: "comment"
        case .share: "share"
        case .upvote: "upvote"
        case .downvote: "downvote"
        case .favorite: "favorite"
        case .bookmark: "bookmark"
        case .follow: "follow"
        case .answer: "answer"
        case .post: "post"
        case .rating: "rating"
        }
    }

    public var description: String { name }

    /// Looks an event type up by its canonical name; `vote` is accepted as `upvote`.
    public init?(name: String) {
        if name == "vote" {
            self = .upvote
            return
        }
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// Every accepted name, for error messages.
    public static var acceptedNames: String {
        allCases.map(\.name).joined(separator: ", ")
    }
}
