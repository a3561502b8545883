import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files and folders a killed run left behind: named with a prefix and the process id of the run that made them
/// (`.out.tmp-4242`, `.t.sqlite.importing-4242-wal`).
public enum LeftBehind {
    /// Removes the entries of `folder` named one of `prefixes` followed by a process id whose process is gone (this
    /// process's own and a running one's are left alone).
    /// - Returns: the paths removed.
    @discardableResult
    public static func remove(in folder: String, prefixes: [String]) -> [String] {
        let folder = folder.isEmpty ? "." : folder
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for entry in entries {
            guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }),
                let pid = Int32(entry.dropFirst(prefix.count).prefix { $0.isNumber }), pid > 0, isGone(pid)
            else { continue }
            let path = folder + "/" + entry
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// Whether no process has this id (and it is not this process).
    static func isGone(_ pid: Int32) -> Bool {
        pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }
}
