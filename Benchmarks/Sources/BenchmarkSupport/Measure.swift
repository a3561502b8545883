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

/// A benchmark's command line, checked before anything runs: `--help` prints the usage, and an option the
/// benchmark does not know, an option without its value or a count that is not a positive whole number stops
/// it with a message, instead of starting an hour-long default run.
public struct BenchmarkArguments {
    private let values: [String: String]
    private let flags: Set<String>

    /// - Parameters:
    ///   - usage: what `--help` prints.
    ///   - options: the options that take a value, such as `--workdir`.
    ///   - flags: the options that take none, such as `--keep`.
    public init(
        usage: String, options: [String], flags: [String],
        arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) {
        var values: [String: String] = [:]
        var given: Set<String> = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--help" || a == "-h" {
                print(usage)
                exit(0)
            } else if options.contains(a) {
                guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") else {
                    fail("\(a) needs a value (--help lists the options)")
                }
                values[a] = arguments[i + 1]
                i += 2
            } else if flags.contains(a) {
                given.insert(a)
                i += 1
            } else {
                fail("unknown argument \(a) (--help lists the options)")
            }
        }
        self.values = values
        self.flags = given
    }

    /// The value of `name`, or `fallback` when it was not given.
    public func string(_ name: String, _ fallback: String) -> String { values[name] ?? fallback }

    /// The value of `name` as a positive whole number (underscores allowed: 1_000_000), or `fallback`.
    public func count(_ name: String, _ fallback: Int) -> Int {
        guard let text = values[name] else { return fallback }
        guard let n = Int(text.replacingOccurrences(of: "_", with: "")), n > 0 else {
            fail("\(name) is not a positive whole number: \(text)")
        }
        return n
    }

    /// Whether the flag `name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }
}

public func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("benchmark: \(message)\n".utf8))
    exit(1)
}
