public import TrendmixCore

/// A store several servers share: each hears of the events the others store, soon after they commit, so that
/// every server's trending follows every posted event without a rebuild.
///
/// Only events stored one by one (``ImportWriter/addEvent(_:at:)``: posted events and clicks) are announced;
/// an import's bulk events reach the servers with the next build. Events this store object stored itself are not
/// announced back to it: its server folded them in already.
public protocol EventFeed: Sendable {
    /// Starts following: `events` is called, on a thread of the feed's own, with each committed batch of events
    /// another process stored; `trouble` with a one-line reason when the feed lost the server (it reconnects by
    /// itself; what was announced meanwhile waits for the next build).
    func followEvents(
        _ events: @escaping @Sendable ([EngagementEvent]) -> Void, trouble: @escaping @Sendable (String) -> Void
    ) -> EventFollowing
}

/// A running feed; ``stop()`` ends it (within a second).
public final class EventFollowing: Sendable {
    private let stopper: @Sendable () -> Void

    init(stop: @escaping @Sendable () -> Void) { stopper = stop }

    public func stop() { stopper() }
}
