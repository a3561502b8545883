/// Why widgets could not be written.
public enum WidgetError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAFolder(String)
    /// A file or folder could not be written; `reason` is the system's (ENAMETOOLONG, ENOSPC, EACCES, …).
    case cannotWrite(String, reason: String)
    /// The output folder is one the job must not replace (not written by it, holding the database, `/`, …).
    case unsafeOutput(String, reason: String)
    /// The run was stopped (SIGINT or SIGTERM); what it had written was removed.
    case interrupted
    case injectedFailure

    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path) exists and is not a folder"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .unsafeOutput(let path, let reason): "will not write widgets to \(path): \(reason)"
        case .interrupted: "interrupted; the output folder was left as it was and the partial output removed"
        case .injectedFailure: "failure injected by a test"
        }
    }
}
