import CPostgres
import Foundation
import Synchronization
public import TrendmixCore

#if canImport(Glibc)
    import Glibc
#endif

extension PostgresStore: EventFeed {
    /// Follows the events other processes store one by one (posted events, clicks): their transactions announce
    /// them with NOTIFY, which PostgreSQL delivers at commit and only then, in commit order; this listens on a
    /// connection of its own, on a thread of its own, and reconnects by itself when the server goes away.
    public func followEvents(
        _ events: @escaping @Sendable ([EngagementEvent]) -> Void, trouble: @escaping @Sendable (String) -> Void
    ) -> EventFollowing {
        let stopped = Mutex(false)
        let thread = Thread { [self] in
            follow(until: { stopped.withLock { $0 } }, events, trouble)
        }
        thread.name = "trendmix-event-feed"
        thread.start()
        return EventFollowing { stopped.withLock { $0 = true } }
    }

    private func follow(
        until stopped: () -> Bool, _ events: ([EngagementEvent]) -> Void, _ trouble: (String) -> Void
    ) {
        var connection: PostgresConnection?
        var troubled = false
        while !stopped() {
            do {
                if connection?.isHealthy != true {
                    let fresh = try PostgresConnection(location)
                    try fresh.execute("LISTEN \(Self.eventChannel)")
                    connection = fresh
                    troubled = false
                }
                guard let listening = connection else { continue }
                for payload in try listening.notifications(waiting: 0.5) {
                    guard let (from, announced) = EventAnnouncement.parse(payload), from != instance else { continue }
                    if !announced.isEmpty { events(announced) }
                }
            } catch {
                connection = nil
                if !troubled { trouble("\(error)") }
                troubled = true
                for _ in 0..<10 where !stopped() { usleep(100_000) }
            }
        }
    }
}

extension PostgresConnection {
    /// The payloads of the notifications that arrived, waiting up to `seconds` for the first.
    func notifications(waiting seconds: Double) throws -> [String] {
        var payloads = drainNotifications()
        guard payloads.isEmpty else { return payloads }
        var descriptor = pollfd(fd: PQsocket(raw), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(seconds * 1000))
        if ready > 0 {
            guard PQconsumeInput(raw) == 1 else {
                throw PostgresError(code: "", message: Self.oneLine(String(cString: PQerrorMessage(raw))))
            }
            payloads = drainNotifications()
        }
        return payloads
    }

    private func drainNotifications() -> [String] {
        var payloads: [String] = []
        while let note = PQnotifies(raw) {
            payloads.append(String(cString: note.pointee.extra))
            PQfreemem(note)
        }
        return payloads
    }
}

/// Events as NOTIFY payloads: the announcing store's instance on the first line, then one event a line, its
/// fields tab-separated in COPY's text escaping. PostgreSQL limits a payload to 8,000 bytes, so a batch is
/// several payloads.
enum EventAnnouncement {
    static let limit = 7_900

    static func payloads(_ events: [EngagementEvent], from instance: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        let header = Array((instance + "\n").utf8)
        for event in events {
            var line: [UInt8] = []
            appendCopyLine(
                [
                    .text(event.sourceID), .text(event.site), .text(event.article), .text(event.reader),
                    .text(event.session), .text(String(event.type.rawValue)), .text(String(event.time.milliseconds)),
                    .text(event.value.postgresText),
                ], to: &line)
            if !current.isEmpty, current.count + line.count > limit {
                out.append(String(decoding: current, as: UTF8.self))
                current = []
            }
            if current.isEmpty { current = header }
            current += line
        }
        if !current.isEmpty { out.append(String(decoding: current, as: UTF8.self)) }
        return out
    }

    /// The announcing instance and the events of one payload; `nil` for a payload not in this form.
    static func parse(_ payload: String) -> (String, [EngagementEvent])? {
        var lines = payload.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let instance = lines.next() else { return nil }
        var events: [EngagementEvent] = []
        while let line = lines.next() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(unescape)
            guard fields.count == 8, let source = fields[0], let site = fields[1], let article = fields[2],
                let code = fields[5].flatMap({ Int($0) }), let type = EventType(rawValue: code),
                let time = fields[6].flatMap({ Int64($0) }), let value = fields[7].flatMap({ Double($0) })
            else { return nil }
            events.append(
                EngagementEvent(
                    sourceID: source, site: site, article: article, reader: fields[3], session: fields[4], type: type,
                    time: Timestamp(milliseconds: time), value: value))
        }
        return (String(instance), events)
    }

    /// A field of COPY's text format: `\N` is NULL; `\\`, `\t`, `\n` and `\r` are their characters.
    private static func unescape(_ field: Substring) -> String? {
        if field == "\\N" { return nil }
        guard field.contains("\\") else { return String(field) }
        var out = ""
        var escaped = false
        for c in field {
            if escaped {
                switch c {
                case "t": out.append("\t")
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
