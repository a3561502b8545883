import Foundation

/// Where the repository, its demo data, the shared real data sets and the built CLI are.
public enum Locations {
    /// The package's root folder.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        // Sources/TrendmixTestSupport/Locations.swift → the root.
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The demo data folder, `Data/`.
    public static var demoData: String { (packageRoot as NSString).appendingPathComponent("Data") }

    /// `../shared/data` beside the repository, or `nil` where it is absent (tests then skip with a message).
    public static var sharedData: String? {
        let path = ((packageRoot as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "shared/data")
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path : nil
    }

    /// The built `trendmix` executable next to the test bundle.
    public static var cli: String? {
        var candidates: [String] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(runner.appendingPathComponent("trendmix").path)
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("trendmix").path)
        candidates.append((packageRoot as NSString).appendingPathComponent(".build/debug/trendmix"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

extension Locations {
    /// A Python with `Evaluation/peers/requirements.txt` installed: `TRENDMIX_PYTHON`, or the virtualenv `.ci/run`
    /// creates (`.build-peers/venv`); `nil` when neither exists (peer tests then skip with a message).
    public static var peerPython: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["TRENDMIX_PYTHON"],
            (packageRoot as NSString).appendingPathComponent(".build-peers/venv/bin/python"),
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
