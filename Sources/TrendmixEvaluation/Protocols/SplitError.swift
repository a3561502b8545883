import TrendmixCore

/// Why a split could not be made.
public enum SplitError: Error, Equatable, Sendable, CustomStringConvertible {
    case noEvents
    case cutOutsideData(String)
    case noCases(String)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .noEvents: "the store has no events to split"
        case .cutOutsideData(let why): "the cut leaves nothing on one side: \(why)"
        case .noCases(let protocolName): "the \(protocolName) protocol found no case to evaluate"
        case .invalidParameter(let why): why
        }
    }
}
