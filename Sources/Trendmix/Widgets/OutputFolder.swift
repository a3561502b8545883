import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The folder a widget run replaces, checked before anything is written.
///
/// The job replaces a folder as a whole, so it only ever replaces one it wrote itself: every run leaves a marker
/// file, ``OutputFolder/markerName``, in the folder it writes. It refuses any other non-empty folder, a folder that
/// holds the database it reads, the current folder (or one that holds it), `/` and the home folder. The staging
/// and set-aside folders of earlier runs that were killed (`.NAME.tmp-PID`, `.NAME.old-PID` whose process is gone)
/// are removed before a run starts.
struct OutputFolder {
    /// The marker file a run leaves in the folder it wrote.
    static let markerName = ".trendmix-widgets"
    static let markerText = "trendmix-widgets/1: this folder is written and replaced whole by 'trendmix widgets'\n"
    /// What earlier versions (before the marker) wrote: a folder holding only these is taken as theirs.
    static let legacyEntries: Set<String> = ["sites", "articles", "widgets.jsonl", "index.html"]

    /// The output folder as an absolute path without symbolic links, `.` or `..`.
    let path: String
    /// `.NAME.tmp-PID` beside it: the run writes here first.
    let staging: String
    /// `.NAME.old-PID` beside it: the previous output, set aside while the new one is moved in.
    let setAside: String

    /// Resolves and checks `out`.
    /// - Parameter database: the database file the run reads, never to be inside the folder replaced.
    /// - Throws: ``WidgetError/unsafeOutput(_:reason:)`` or ``WidgetError/notAFolder(_:)``.
    init(_ out: String, database: String?) throws {
        guard !out.isEmpty else { throw WidgetError.unsafeOutput(out, reason: "an empty path names no folder") }
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = out.hasPrefix("/") ? out : cwd + "/" + out
        let resolved = Self.resolve(absolute)
        path = resolved
        let name = (resolved as NSString).lastPathComponent
        let parent = (resolved as NSString).deletingLastPathComponent
        staging = parent + "/." + name + ".tmp-\(getpid())"
        setAside = parent + "/." + name + ".old-\(getpid())"

        func refuse(_ reason: String) -> WidgetError { .unsafeOutput(out, reason: reason) }
        if resolved == "/" { throw refuse("the root folder is never replaced") }
        if let home = Self.home(), resolved == home { throw refuse("the home folder is never replaced") }
        let here = Self.resolve(cwd)
        if here == resolved || here.hasPrefix(resolved + "/") {
            throw refuse("it is the current folder or holds it; name a folder of its own, such as widgets/")
        }
        if let database {
            let db = Self.resolve(database.hasPrefix("/") ? database : cwd + "/" + database)
            if db.hasPrefix(resolved + "/") {
                throw refuse("it holds the database \(database) that the widgets are made from")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw WidgetError.notAFolder(out) }
        let entries = try FileManager.default.contentsOfDirectory(atPath: resolved)
        if entries.isEmpty || entries.contains(Self.markerName) { return }
        if entries.contains("widgets.jsonl") && Set(entries).isSubset(of: Self.legacyEntries) { return }
        let shown = entries.sorted().prefix(3).joined(separator: ", ") + (entries.count > 3 ? ", …" : "")
        throw refuse(
            "it holds files that 'trendmix widgets' did not write (\(shown)) and would be replaced whole; "
                + "name a new or empty folder")
    }

    /// Removes the staging and set-aside folders that runs killed before they could clean up left beside the
    /// output (their process is gone); a running job's folders are left alone.
    /// - Returns: the folders removed.
    @discardableResult
    func removeStale() -> [String] {
        let name = "." + (path as NSString).lastPathComponent
        return LeftBehind.remove(
            in: (path as NSString).deletingLastPathComponent, prefixes: [name + ".tmp-", name + ".old-"])
    }

    /// `path` with symbolic links, `.` and `..` resolved as far as the file system has it; the part that does not
    /// exist yet is appended with `.` and `..` resolved textually.
    static func resolve(_ absolute: String) -> String {
        var missing: [String] = []
        var existing = absolute
        while true {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                var parts = String(cString: real).split(separator: "/").map(String.init)
                for part in missing.reversed() {
                    switch part {
                    case "", ".": continue
                    case "..": if !parts.isEmpty { parts.removeLast() }
                    default: parts.append(part)
                    }
                }
                return "/" + parts.joined(separator: "/")
            }
            let ns = existing as NSString
            if existing == "/" || existing.isEmpty { return absolute }
            missing.append(ns.lastPathComponent)
            existing = ns.deletingLastPathComponent
        }
    }

    static func home() -> String? {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return resolve(home) }
        return nil
    }
}

/// The system's words for an `errno`, with its symbolic name for the common ones: "File name too long
/// (ENAMETOOLONG)".
func describe(errno code: Int32) -> String {
    let names: [Int32: String] = [
        ENAMETOOLONG: "ENAMETOOLONG", ENOSPC: "ENOSPC", EACCES: "EACCES", EPERM: "EPERM", EROFS: "EROFS",
        EDQUOT: "EDQUOT", EIO: "EIO", ENOENT: "ENOENT", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EEXIST: "EEXIST",
        EMFILE: "EMFILE", ENFILE: "ENFILE", EFBIG: "EFBIG", ELOOP: "ELOOP", EXDEV: "EXDEV", ENOTEMPTY: "ENOTEMPTY",
        EBUSY: "EBUSY",
    ]
    let text = String(cString: strerror(code))
    return names[code].map { "\(text) (\($0))" } ?? "\(text) (errno \(code))"
}
