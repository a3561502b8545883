import Foundation
import Testing
import TrendmixTestSupport

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 23, item 1: connections without a request are closed after `--idle-timeout`; at `--max-connections` the
/// connection idle the longest is closed to make room (never one with a request in progress); a request's head and
/// body must arrive within `--header-timeout` and `--body-timeout`.
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

    /// Sends `text` whole on `fd`.
    static func send(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// The first bytes the server answers on `fd` within `seconds` ("" when it closed or said nothing).
    static func answer(_ fd: Int32, within seconds: Double) -> String {
        var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&poll, 1, Int32(seconds * 1000)) == 1 else { return "" }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(fd, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    /// A server on the canonical fixture with `arguments`, and its port.
    static func serve(_ arguments: [String]) async throws -> (Process, Int, String, TemporaryDirectory) {
        let dir = try TemporaryDirectory("conn")
        let data = try TemporaryDirectory("conn-data")
        for (name, text) in Fixtures.canonical { try data.write(name, text) }
        let db = dir.file("t.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", data.path, "--db", db]).status == 0)
        #expect(try await CLIRunner.run(["build", "--db", db, "--now", "2024-03-01T12:00:00Z"]).status == 0)
        let (server, url) = try ServeTests.start(db: db, arguments: arguments)
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        return (server, port, url, dir)
    }

    /// The server's open file descriptors.
    static func descriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    @Test func aConnectionWithoutARequestIsClosedAfterTheIdleTimeout() async throws {
        let (server, port, _, _) = try await Self.serve(["--idle-timeout", "1"])
        defer { if server.isRunning { server.terminate() } }
        let lone = Self.connect(port)
        #expect(lone >= 0)
        #expect(Self.closedByServer(lone, within: 5), "an idle connection was still open after 5 s")
        close(lone)
    }

    /// The reproducer of issue 23 at a small scale: more idle connections than the cap, and a health check after
    /// them. With an idle timeout of 300 s nothing is closed by time: only by making room. Before the room was
    /// made, the check waited in the listen backlog until idle clients left.
    @Test func atTheCapTheLongestIdleConnectionMakesRoomAndABusyOneIsKept() async throws {
        let (server, port, url, _) = try await Self.serve([
            "--idle-timeout", "300", "--max-connections", "20", "--body-timeout", "300",
        ])
        defer { if server.isRunning { server.terminate() } }
        let before = Self.descriptors(server.processIdentifier)

        // A request in progress (its body not sent yet) opened first: the oldest connection, but not idle.
        let busy = Self.connect(port)
        Self.send(
            busy,
            "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
        try await Task.sleep(for: .milliseconds(200))

        let idle = (0..<60).map { _ in Self.connect(port) }
        try await Task.sleep(for: .milliseconds(300))
        let held = Self.descriptors(server.processIdentifier) - before
        #expect(held <= 20 + 2, "the server holds \(held) more descriptors than before, over the cap of 20")

        let started = ContinuousClock.now
        var request = URLRequest(url: URL(string: url + "/healthz")!)
        request.timeoutInterval = 20
        let (_, response) = try await URLSession.shared.data(for: request)
        let waited = ContinuousClock.now - started
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        print("61 connections, cap 20, idle timeout 300 s: /healthz answered in \(waited), \(held) descriptors held")

        // The first idle connections made room; the last ones are still open.
        #expect(Self.closedByServer(idle[0], within: 5), "the longest idle connection was not closed")
        #expect(!Self.closedByServer(idle[59], within: 0.2), "the newest idle connection was closed")
        // The request in progress was kept: its body completes it (an empty batch, refused with 400).
        Self.send(busy, "{}")
        let answer = Self.answer(busy, within: 10)
        #expect(answer.hasPrefix("HTTP/1.1 4"), "the busy connection answered '\(answer.prefix(40))'")
        for fd in idle + [busy] where fd >= 0 { close(fd) }
    }

    @Test func aSlowHeadOrBodyIsCutOffAndOneInTimeIsAnswered() async throws {
        let (server, port, _, _) = try await Self.serve([
            "--idle-timeout", "300", "--header-timeout", "2", "--body-timeout", "2",
        ])
        defer { if server.isRunning { server.terminate() } }

        // A head that never ends (slowloris): closed by the header timeout, long before the idle one.
        let slowHead = Self.connect(port)
        Self.send(slowHead, "GET /healthz HTTP/1.1\r\nHost: t\r\n")
        #expect(Self.closedByServer(slowHead, within: 10), "a head unfinished for 10 s was not cut off")
        close(slowHead)

        // A body that stops halfway: closed by the body timeout.
        let slowBody = Self.connect(port)
        Self.send(
            slowBody,
            "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        #expect(Self.closedByServer(slowBody, within: 10), "a body unfinished for 10 s was not cut off")
        close(slowBody)

        // A head in two parts, the second well within the timeout: answered.
        let inTime = Self.connect(port)
        Self.send(inTime, "GET /healthz HTTP/1.1\r\n")
        // Blocking, as the waits around it: a Task.sleep resumes only when the test pool has a free thread, and
        // with other tests blocking theirs the second part once came after the 2 s timeout (CI at 6627d4f).
        usleep(300_000)
        Self.send(inTime, "Host: t\r\n\r\n")
        let answer = Self.answer(inTime, within: 10)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "a head sent in two parts was answered '\(answer.prefix(40))'")
        close(inTime)
    }
}
