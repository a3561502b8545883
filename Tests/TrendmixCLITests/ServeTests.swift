import Foundation
import Testing
import TrendmixTestSupport

/// `trendmix serve` as a user runs it: a real socket on loopback, the OpenAPI document checked against the live
/// server by schemathesis (PyPI, in the peer virtualenv `.ci/run` makes), and a graceful stop on SIGTERM.
@Suite(.serialized) struct ServeTests {
    /// Starts `trendmix serve --port 0` on the demo data and returns the process and its base URL.
    static func start(_ dir: TemporaryDirectory, arguments: [String] = []) async throws -> (Process, String) {
        let db = dir.file("demo.sqlite")
        let demo = try await CLIRunner.run(["demo", "--db", db, "--widgets", dir.file("w"), "--report", dir.file("r")])
        #expect(demo.status == 0, "\(demo.stderr)")
        return try start(db: db, arguments: arguments)
    }

    /// Starts `trendmix serve --port 0` on the database `db` (built) and returns the process and its base URL.
    static func start(db: String, arguments: [String] = []) throws -> (Process, String) {
        guard let cli = Locations.cli else { throw CLIRunner.Failure.notBuilt }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["serve", "--db", db, "--port", "0", "--log-level", "warning"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        let url = try #require(
            text.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(url.hasPrefix("http://127.0.0.1:"), "\(text)")
        return (process, url)
    }

    @Test func schemathesisFindsNoFailureAndSIGTERMStopsCleanly() async throws {
        guard let python = Locations.peerPython else {
            if ProcessInfo.processInfo.environment["TRENDMIX_REQUIRE_PEERS"] == "1" {
                Issue.record("TRENDMIX_REQUIRE_PEERS=1 but no Python with Evaluation/peers/requirements.txt")
            } else {
                print("skipped: no Python with schemathesis (set TRENDMIX_PYTHON or run .ci/run)")
            }
            return
        }
        let dir = try TemporaryDirectory("serve")
        // With a write token: schemathesis posts with it, and checks that a write without it is refused.
        let token = "schemathesis-token-0123456789"
        try dir.write("token", token + "\n")
        let (server, url) = try await Self.start(dir, arguments: ["--write-token-file", dir.file("token")])
        defer { if server.isRunning { server.terminate() } }
        let schemathesis = Process()
        schemathesis.executableURL = URL(
            fileURLWithPath: (python as NSString).deletingLastPathComponent + "/schemathesis")
        schemathesis.arguments = [
            "--config-file", Locations.packageRoot + "/Tests/schemathesis.toml",
            "run", url + "/openapi.json", "--checks", "all", "--max-examples", "40", "--seed", "1",
            "--header", "Authorization: Bearer \(token)",
            "--workers", "1", "--no-color",
        ]
        let pipe = Pipe()
        schemathesis.standardOutput = pipe
        schemathesis.standardError = pipe
        try schemathesis.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        schemathesis.waitUntilExit()
        #expect(schemathesis.terminationStatus == 0, "\(report.suffix(3000))")
        #expect(report.contains("No issues found"), "\(report.suffix(1500))")

        // Graceful shutdown: SIGTERM ends the process with status 0.
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }
}
