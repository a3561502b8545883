import Foundation

/// Runs the built `trendmix` command and captures what it prints.
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum CLIRunner {
    public enum Failure: Error, CustomStringConvertible {
        case notBuilt
        public var description: String { "the trendmix executable was not found next to the tests" }
    }

    /// Runs `trendmix arguments...` in `directory` (the package root by default), waiting on a thread of its
    /// own: a test blocked in `waitUntilExit` on one of the concurrency pool's few threads (two on a 2-core
    /// machine) starved the tests running beside it (a served request missed its 15 s deadline while debug
    /// builds calibrated in child processes).
    /// `environment` adds to (or replaces) the test process's variables; `executable` runs another program the
    /// same way (a Python script that drives the command).
    public static func run(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
        executable: String? = nil
    ) async throws -> CLIResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(arguments, in: directory, environment: environment, executable: executable)
                    })
            }.start()
        }
    }

    /// ``run(_:in:environment:)`` on the calling thread.
    public static func runBlocking(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
        executable: String? = nil
    ) throws -> CLIResult {
        guard let cli = executable ?? Locations.cli else { throw Failure.notBuilt }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? Locations.packageRoot)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
