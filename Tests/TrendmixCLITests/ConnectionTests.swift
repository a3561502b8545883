import Foundation
import Testing
import TrendmixTestSupport

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 23, item 1 (first part): connections without a request are closed after `--idle-timeout`, and no more
/// than `--max-connections` are open at once, so idle clients cannot take the file descriptors the server needs.
@Suite(.serialized) struct ConnectionTests {
    /// A TCP connection to 127.0.0.1:`port` that sends nothing; -1 when it cannot connect.
    static func connect(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected != 0 {
            close(fd)
            return -1
        }
        return fd
    }

    /// Whether the server has closed `fd`: a read returns end of file (waits at most `seconds`).
    static func closedByServer(_ fd: Int32, within seconds: Double) -> Bool {
        var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&poll, 1, Int32(seconds * 1000)) == 1 else { return false }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) <= 0
    }

    /// The server's open file descriptors.
    static func descriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    @Test func idleConnectionsAreClosedAndCappedAndHealthAnswersAfterThem() async throws {
        let dir = try TemporaryDirectory("conn")
        let data = try TemporaryDirectory("conn-data")
        for (name, text) in Fixtures.canonical { try data.write(name, text) }
        let db = dir.file("t.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", data.path, "--db", db]).status == 0)
        #expect(try await CLIRunner.run(["build", "--db", db, "--now", "2024-03-01T12:00:00Z"]).status == 0)
        let (server, url) = try ServeTests.start(db: db, arguments: ["--idle-timeout", "1", "--max-connections", "20"])
        defer { if server.isRunning { server.terminate() } }
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        let before = Self.descriptors(server.processIdentifier)

        // One connection that never sends a request: closed by the server after the idle timeout.
        let lone = Self.connect(port)
        #expect(lone >= 0)
        #expect(Self.closedByServer(lone, within: 5), "an idle connection was still open after 5 s")
        close(lone)

        // Sixty idle connections against a cap of twenty: the server holds at most twenty (the rest wait in the
        // backlog), closes each after a second, and a health check behind them is answered.
        let idle = (0..<60).map { _ in Self.connect(port) }
        try await Task.sleep(for: .milliseconds(300))
        let held = Self.descriptors(server.processIdentifier) - before
        #expect(held <= 20 + 2, "the server holds \(held) more descriptors than before, over the cap of 20")
        let started = ContinuousClock.now
        var request = URLRequest(url: URL(string: url + "/healthz")!)
        request.timeoutInterval = 30
        let (_, response) = try await URLSession.shared.data(for: request)
        let waited = ContinuousClock.now - started
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        // Three rounds of twenty idle connections, one second each, then the check's own turn: 2.7 s alone, 6.6 s
        // in a CI run beside the other tests. Without the idle timeout it would wait for its 30 s timeout.
        #expect(waited < .seconds(20), "health answered after \(waited)")
        print("60 idle connections, cap 20, idle timeout 1 s: /healthz answered in \(waited), \(held) descriptors held")
        for fd in idle where fd >= 0 { close(fd) }
    }
}
