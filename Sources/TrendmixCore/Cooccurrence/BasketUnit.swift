/// Which events make a "basket": the unit within which two articles count as read together.
public enum BasketUnit: Sendable, Hashable, Codable {
    /// Everything one reader engaged with in the snapshot's window (SAR's and the Universal Recommender's unit).
    case reader
    /// One session (events without a session are left out).
    case session
    /// A reader's events split wherever they paused longer than the gap: visits, for sources without sessions.
    case readerGap(Duration)
}
