import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A finished child process: wall time, peak resident memory and what it printed.
public struct ChildRun: Sendable {
    public var seconds: Double
    public var peakMiB: Double
    public var status: Int32
    public var output: String
}

/// Monotonic seconds.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs a program to completion and measures it with wait4 (peak RSS of that process alone).
/// - Parameter stdin: a file to feed as standard input.
public func runChild(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil
) -> ChildRun {
    let outputPath = NSTemporaryDirectory() + "benchmark-child-\(getpid())-\(UInt64(monotonicSeconds() * 1e6)).out"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    if let stdin { posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0) }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
        try? FileManager.default.removeItem(atPath: outputPath)
    }
    var pid: pid_t = 0
    let start = monotonicSeconds()
    let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, envp)
    posix_spawn_file_actions_destroy(&actions)
    guard spawned == 0 else {
        return ChildRun(seconds: 0, peakMiB: 0, status: -1, output: "cannot start \(executable)")
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = monotonicSeconds() - start
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return ChildRun(seconds: seconds, peakMiB: Double(usage.ru_maxrss) / 1024, status: status, output: output)
}

/// The value after `name` on the command line, or `fallback`.
public func argument(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
    return args[i + 1]
}

public func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("benchmark: \(message)\n".utf8))
    exit(1)
}
