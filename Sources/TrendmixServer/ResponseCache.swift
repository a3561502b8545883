import Hummingbird
import Synchronization
import TrendmixCore

/// Answers already computed, by engine revision and request: a box is a function of the model and the request,
/// so the same request against the same engine gets the same bytes without ranking again (partner pages ask for
/// the same popular articles' boxes over and over). Bounded: when full it starts over, so memory stays at
/// `capacity` answers (about 3 KB each) and the popular ones come back within a few requests.
final class ResponseCache: Sendable {
    struct Key: Hashable, Sendable {
        var revision: UInt64
        var uri: String
        var variant: String
    }

    /// The answer's bytes and every header it goes out with (its entity tag among them).
    struct Entry: Sendable {
        var body: ByteBuffer
        var headers: HTTPFields
        var etag: String
        /// When an article in it expires (the answer changes then), nil for never.
        var validUntil: Timestamp? = nil
    }

    let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    func get(_ key: Key) -> Entry? { entries.withLock { $0[key] } }

    func put(_ key: Key, _ entry: Entry) {
        guard capacity > 0 else { return }
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[key] = entry
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
