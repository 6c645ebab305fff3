import CLibPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One libpq connection. Not thread-safe: one thread uses it at a time, which the pool guarantees by
/// handing it out under its lock (hence `@unchecked Sendable`).
///
/// Statements are prepared on first use and reused by SQL text (one round trip saved per later call,
/// and the server keeps the plan); parameters are always out-of-band, never spliced into SQL.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private let preparedLimit: Int
    /// Prepared statements by SQL text: the server-side name and, once seen, the column layout.
    private var prepared: [String: (name: String, layout: ColumnLayout?)] = [:]
    /// Names are never reused, even after a statement is deallocated.
    private var preparedCounter = 0

    /// Connects (blocking, bounded by `connect_timeout`).
    public static func connect(_ configuration: PostgresConfiguration) throws(PostgresError) -> PostgresConnection {
        let params = configuration.connectParameters
        let keys = params.map { strdup($0.0) }
        let values = params.map { strdup($0.1) }
        defer {
            for pointer in keys + values { free(pointer) }
        }
        let handle: OpaquePointer? =
            (keys.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { k in
                (values.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { v in
                    PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
                }
            }
        guard let handle else { throw .connection("out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.errorMessage(handle)
            PQfinish(handle)
            throw .connection(message)
        }
        // libpq prints NOTICEs ("relation already exists, skipping") on stderr by default; our logs are JSON.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        let connection = PostgresConnection(handle: handle, preparedLimit: configuration.preparedStatementLimit)
        // A caller's `options` in the URL replaces ours; the decoders need UTC and ISO either way.
        if connection.parameterStatus("TimeZone") != "UTC"
            || connection.parameterStatus("DateStyle")?.hasPrefix("ISO") != true
        {
            try connection.simpleQuery("SET TimeZone = 'UTC'; SET DateStyle = 'ISO'")
        }
        return connection
    }

    private init(handle: OpaquePointer, preparedLimit: Int) {
        self.handle = handle
        self.preparedLimit = preparedLimit
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with `$1…$n` parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresEncodable] = []) throws(PostgresError) -> PostgresResult {
        do {
            return try run(sql, binds)
        } catch let error where error.sqlState == SQLState.featureNotSupported && isIdle && prepared[sql] != nil {
            // "cached plan must not change result type": the schema changed under a prepared statement.
            // Outside a transaction nothing else was affected, so prepare it again once.
            forget(sql)
            return try run(sql, binds)
        }
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresEncodable] = []) throws(PostgresError) -> Int {
        try query(sql, binds).affectedRows
    }

    /// Runs SQL text without parameters, possibly several statements (`BEGIN`, migrations).
    public func simpleQuery(_ sql: String) throws(PostgresError) {
        _ = try check(PQexec(handle, sql))
    }

    /// The server-reported value of a run-time parameter (`server_version`, `TimeZone`…).
    public func parameterStatus(_ name: String) -> String? {
        PQparameterStatus(handle, name).map { String(cString: $0) }
    }

    /// True once the connection can no longer be used (server gone, network error); the pool drops it.
    public var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// True outside any transaction block.
    public var isIdle: Bool { PQtransactionStatus(handle) == PQTRANS_IDLE }

    var isInFailedOrOpenTransaction: Bool {
        let s = PQtransactionStatus(handle)
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR
    }

    /// The backend's process id (`pg_terminate_backend` in tests).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// A cheap liveness probe for an idle connection: the server has nothing to say to an idle pool
    /// connection (no LISTEN, no query in flight), so anything readable is a termination notice or EOF.
    /// One `poll` with zero timeout, no round trip; at worst a healthy connection is replaced.
    func looksAlive() -> Bool {
        guard !isBroken else { return false }
        var fds = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        return poll(&fds, 1, 0) == 0
    }

    // MARK: - Execution

    private func run(_ sql: String, _ binds: [any PostgresEncodable]) throws(PostgresError) -> PostgresResult {
        var wire = try PostgresWireParameters(binds)
        if let (name, layout) = prepared[sql] {
            let result = try check(
                wire.withPointers { n, v, l, f, _ in PQexecPrepared(handle, name, n, v, l, f, 0) }, layout: layout)
            if layout == nil { prepared[sql]?.layout = result.layout }
            return result
        }
        guard prepared.count < preparedLimit else {
            return try check(wire.withPointers { n, v, l, f, t in PQexecParams(handle, sql, n, t, v, l, f, 0) })
        }
        preparedCounter += 1
        let name = "ts\(preparedCounter)"
        _ = try check(wire.withPointers { n, _, _, _, t in PQprepare(handle, name, sql, n, t) })
        let result = try check(wire.withPointers { n, v, l, f, _ in PQexecPrepared(handle, name, n, v, l, f, 0) })
        prepared[sql] = (name, result.layout)
        return result
    }

    private func forget(_ sql: String) {
        guard let name = prepared.removeValue(forKey: sql)?.name else { return }
        PQclear(PQexec(handle, "DEALLOCATE \(name)"))
    }

    /// Turns a `PGresult` into rows or an error, freeing it on the error paths.
    private func check(_ result: OpaquePointer?, layout: ColumnLayout? = nil) throws(PostgresError) -> PostgresResult {
        guard let result else { throw .connection(Self.errorMessage(handle)) }
        let status = PQresultStatus(result)
        if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY {
            return PostgresResult(result, layout: layout)
        }
        defer { PQclear(result) }
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) }
        }
        guard let sqlState = field("C"), !isBroken else {
            let message = field("M") ?? Self.errorMessage(handle)
            throw .connection(message)
        }
        throw .server(
            .init(
                sqlState: sqlState, message: field("M") ?? "", detail: field("D"), constraint: field("n"),
                table: field("t"), column: field("c")))
    }

    static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let text = PQerrorMessage(handle) else { return "unknown error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
