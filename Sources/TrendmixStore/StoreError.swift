import CSQLiteTuning
import Foundation
import GRDB
import TrendmixCore

/// Errors of the store itself, as opposed to bad input.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// The file is another application's SQLite database (`tables`: some of its tables).
    case notTrendmix(path: String, tables: String)
    /// A newer Trendmix wrote the file (`migrations`: the ones this version does not know).
    case newerVersion(path: String, migrations: [String])
    /// Another writer (an import or build in another process) held the database for longer than the wait.
    case busy(path: String)
    /// The disk is full: nothing of the write was kept.
    case full(path: String)
    /// The database server went away or cannot be reached (`reason`: the client library's one line); what was
    /// being written was not kept.
    case unavailable(path: String, reason: String)
    case corrupt(reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open the database: \(reason)"
        case .notTrendmix(let path, let tables):
            "\(path) is not a Trendmix database (it holds the tables \(tables)); it was left as it is: "
                + "name a new file for Trendmix"
        case .busy(let path):
            "\(path) is busy: another process (an import or a build) is writing to it; nothing was changed, try "
                + "again when it has finished"
        case .full(let path): "\(path): the disk is full; nothing of this write was kept"
        case .newerVersion(let path, let migrations):
            "\(path) was written by a newer Trendmix (schema \(migrations.joined(separator: ", "))); "
                + "it was left as it is: use that version or a newer one"
        case .unavailable(let path, let reason):
            "\(path): the database server cannot be reached: \(reason); nothing of this request was kept"
        case .corrupt(let reason): "the database is inconsistent: \(reason)"
        }
    }
}
