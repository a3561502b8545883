import CPostgres
import Foundation

/// Where a PostgreSQL database is: a `postgres://` or `postgresql://` URL as libpq reads it
/// (`postgres://user[:password]@host[:port]/dbname[?parameter=value…]`).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The URL as given, password included: what libpq connects with.
    public let url: String
    public let host: String
    public let port: String
    public let database: String
    public let user: String

    /// Whether `location` names a PostgreSQL database rather than a file.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when libpq cannot read the URL.
    public init(_ url: String) throws {
        self.url = url
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &message) else {
            let reason = message.map { String(cString: $0) } ?? "not a PostgreSQL URL"
            if let message { PQfreemem(message) }
            throw StoreError.cannotOpen(
                path: Self.withoutPassword(url), reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        let environment = ProcessInfo.processInfo.environment
        host = values["host"] ?? values["hostaddr"] ?? environment["PGHOST"] ?? "localhost"
        port = values["port"] ?? environment["PGPORT"] ?? "5432"
        user = values["user"] ?? environment["PGUSER"] ?? NSUserName()
        database = values["dbname"] ?? environment["PGDATABASE"] ?? user
    }

    /// user@host:port/dbname: what errors and logs name (never the password).
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// `url` with any password replaced by `***`.
    static func withoutPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex)
        else { return url }
        let credentials = url[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return url[..<colon] + ":***" + url[at.lowerBound...]
    }
}

/// A failed statement: PostgreSQL's SQLSTATE code and message.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE (`23505` a unique violation, `08006` a lost connection); empty when libpq
    /// failed before the server answered.
    public let code: String
    public let message: String

    public var description: String { code.isEmpty ? message : "\(message) (SQLSTATE \(code))" }

    /// The connection itself failed (class 08, or no answer at all): the server is gone or unreachable.
    public var isConnectionFailure: Bool { code.isEmpty || code.hasPrefix("08") || code.hasPrefix("57P") }
    /// Class 53: the server is out of a resource (`53100` disk full).
    public var isDiskFull: Bool { code == "53100" }
}

/// A value a statement takes: its text form, as PostgreSQL's input functions read it.
protocol PostgresParameter {
    var postgresText: String { get }
}

extension String: PostgresParameter { var postgresText: String { self } }
extension Int: PostgresParameter { var postgresText: String { String(self) } }
extension Int64: PostgresParameter { var postgresText: String { String(self) } }
extension Int32: PostgresParameter { var postgresText: String { String(self) } }
extension Bool: PostgresParameter { var postgresText: String { self ? "true" : "false" } }
extension Double: PostgresParameter {
    /// Swift's shortest round-trip digits (PostgreSQL reads them back to the same double); the special values
    /// in PostgreSQL's spelling.
    var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"
    }
}

/// One connection to a PostgreSQL server, through libpq.
///
/// Used by one thread at a time: the store hands connections out of its pool and takes them back
/// (``PostgresStore``), hence `@unchecked Sendable`.
final class PostgresConnection: @unchecked Sendable {
    let location: PostgresLocation
    /// libpq's connection: for this type and its extensions only (COPY out lives in PostgresCopyOut.swift).
    let connection: OpaquePointer
    /// The libpq connection, for the feed's polling (``notifications(waiting:)``).
    var raw: OpaquePointer { connection }
    private var prepared: Set<String> = []
    private var cursors = 0

    /// Connects; a server that is down, unreachable or refuses the login is one line naming host and port.
    init(_ location: PostgresLocation) throws {
        self.location = location
        // A dead host should fail in seconds, not in the operating system's minutes.
        let url =
            location.url.contains("connect_timeout")
            ? location.url : Self.adding("connect_timeout=10", to: location.url)
        guard let connection = PQconnectdb(url) else {
            throw StoreError.cannotOpen(path: location.description, reason: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.oneLine(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw StoreError.cannotOpen(path: location.description, reason: reason)
        }
        self.connection = connection
        // Quiet NOTICEs ("relation already exists, skipping") instead of libpq printing them to stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Whether the connection is still usable (a server restart breaks it).
    var isHealthy: Bool { PQstatus(connection) == CONNECTION_OK }

    private static func adding(_ parameter: String, to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + parameter
    }

    /// libpq's multi-line messages as one line.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    // MARK: Statements

    /// Runs `sql` with `parameters` ($1, $2, … in text form; `nil` is NULL) and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [(any PostgresParameter)?] = []) throws -> PostgresRows {
        try withTexts(parameters) { values, count in
            try check(PQexecParams(connection, sql, count, nil, values, nil, nil, 0))
        }
    }

    /// Runs several statements separated by semicolons, without parameters.
    func execute(_ sql: String) throws {
        _ = try check(PQexec(connection, sql))
    }

    /// Runs the statement prepared under `name` (preparing `sql` on first use on this connection).
    @discardableResult
    func run(_ name: String, _ sql: String, _ parameters: [(any PostgresParameter)?]) throws -> PostgresRows {
        if !prepared.contains(name) {
            _ = try check(PQprepare(connection, name, sql, Int32(parameters.count), nil))
            prepared.insert(name)
        }
        return try withTexts(parameters) { values, count in
            try check(PQexecPrepared(connection, name, count, values, nil, nil, 0))
        }
    }

    /// Runs `sql` through a cursor, `batch` rows at a time, so that millions of rows never sit in memory at
    /// once. Inside a transaction the caller holds; `sql` takes no parameters (the store interpolates only
    /// numbers it computed).
    func forEachBatch(_ sql: String, batch: Int = 50_000, _ body: (PostgresRows) throws -> Void) throws {
        cursors += 1
        let name = "trendmix_cursor_\(cursors)"
        try execute("DECLARE \(name) NO SCROLL CURSOR FOR " + sql)
        defer { if isHealthy { try? execute("CLOSE \(name)") } }
        while true {
            let rows = try query("FETCH \(batch) FROM \(name)")
            if rows.count == 0 { break }
            try body(rows)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws (or with
    /// `rollback`).
    func transaction<T>(
        _ begin: String = "BEGIN", rollback: Bool = false, _ body: () throws -> T
    ) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute(rollback ? "ROLLBACK" : "COMMIT")
            return result
        } catch {
            if isHealthy { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Streams rows into `COPY … FROM STDIN` (in the format `sql` names): `write` appends rows to the buffer it
    /// is given, which is sent in chunks, until it returns false.
    func copyIn(_ sql: String, _ write: (inout [UInt8]) throws -> Bool) throws {
        _ = try check(PQexec(connection, sql), expecting: PGRES_COPY_IN)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var failure: (any Error)?
        do {
            while try write(&buffer) {
                if buffer.count >= 1 << 20 {
                    try send(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try send(buffer) }
        } catch {
            failure = error
        }
        _ = PQputCopyEnd(connection, failure == nil ? nil : "cancelled by the client")
        try finishCopy(failure: failure)
    }

    /// Reads a COPY's closing results, so that the connection is ready for the next command, then throws the
    /// client's `failure` if there was one, else the server's first error.
    func finishCopy(failure: (any Error)?) throws {
        var last: (any Error)?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, last == nil { last = error(of: result) }
            PQclear(result)
        }
        if let failure { throw failure }
        if let last { throw last }
    }

    private func send(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else {
            throw PostgresError(code: "", message: Self.oneLine(String(cString: PQerrorMessage(connection))))
        }
    }

    private func withTexts(
        _ parameters: [(any PostgresParameter)?], _ body: ([UnsafePointer<CChar>?], Int32) throws -> PostgresRows
    ) throws -> PostgresRows {
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { p in p.flatMap { strdup($0.postgresText) } }
        defer { for t in texts { free(t) } }
        return try body(texts.map { $0.map { UnsafePointer($0) } }, Int32(texts.count))
    }

    func check(_ result: OpaquePointer?, expecting: ExecStatusType? = nil) throws -> PostgresRows {
        guard let result else {
            throw PostgresError(code: "", message: Self.oneLine(String(cString: PQerrorMessage(connection))))
        }
        let status = PQresultStatus(result)
        if let expecting {
            guard status == expecting else {
                defer { PQclear(result) }
                throw error(of: result)
            }
            PQclear(result)
            return PostgresRows(nil)
        }
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            defer { PQclear(result) }
            throw error(of: result)
        }
        return PostgresRows(result)
    }

    func error(of result: OpaquePointer) -> PostgresError {
        let code = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let message = primary ?? Self.oneLine(String(cString: PQerrorMessage(connection)))
        return PostgresError(code: code, message: message)
    }
}

/// A statement's rows, in text form.
final class PostgresRows {
    private let result: OpaquePointer?

    init(_ result: OpaquePointer?) { self.result = result }
    deinit { if let result { PQclear(result) } }

    var count: Int { result.map { Int(PQntuples($0)) } ?? 0 }
    /// Rows a statement without RETURNING changed.
    var changed: Int { result.flatMap { Int(String(cString: PQcmdTuples($0))) } ?? 0 }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    func string(_ row: Int, _ column: Int) -> String? {
        guard let result, !isNull(row, column) else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int64(_ row: Int, _ column: Int) -> Int64? {
        guard let result, !isNull(row, column) else { return nil }
        return strtoll(PQgetvalue(result, Int32(row), Int32(column)), nil, 10)
    }

    func int(_ row: Int, _ column: Int) -> Int? { int64(row, column).map(Int.init) }

    func double(_ row: Int, _ column: Int) -> Double? {
        guard let result, !isNull(row, column), let text = PQgetvalue(result, Int32(row), Int32(column)) else {
            return nil
        }
        return strtod(text, nil)
    }

    func bool(_ row: Int, _ column: Int) -> Bool? {
        string(row, column).map { $0 == "t" }
    }
}
