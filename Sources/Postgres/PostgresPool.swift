import Foundation
import Metrics

/// A bounded pool of `PostgresConnection`s for threads that block (the HTTP handler pool, job workers).
///
/// - Checkout is LIFO (the warmest connection first) with a zero-cost liveness probe; a connection
///   that broke while idle or during use is closed and replaced, never handed out again.
/// - When every connection is busy, callers wait up to `acquireTimeout`, then get `poolTimeout` (503).
/// - When PostgreSQL is unreachable, one failed connect makes the next callers fail fast for
///   `reconnectBackoff` instead of each paying a connect attempt: a dead database costs nothing per
///   request, and the first call after the backoff dials again, so recovery needs no restart.
/// - A statement is never replayed after its connection died mid-flight: its outcome is unknown.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    private let state: PoolState
    private let metrics: PoolMetrics

    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        state = PoolState()
        metrics = PoolMetrics(pool: configuration.name, size: configuration.maxConnections)
    }

    /// Counts for tests and `/readyz`: idle connections, connections in use, and callers waiting.
    public struct Statistics: Sendable, Equatable {
        public var idle: Int
        public var inUse: Int
        public var waiting: Int

        public init(idle: Int, inUse: Int, waiting: Int) {
            self.idle = idle
            self.inUse = inUse
            self.waiting = waiting
        }
    }

    public var statistics: Statistics {
        state.condition.lock()
        defer { state.condition.unlock() }
        return Statistics(idle: state.idle.count, inUse: state.open - state.idle.count, waiting: state.waiting)
    }

    /// Runs `body` with a connection of its own. A connection left inside a transaction (the body threw
    /// mid-way) is rolled back before it is reused.
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try body(connection)
    }

    /// One statement on any connection.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresEncodable] = []) throws -> PostgresResult {
        try withConnection { try $0.query(sql, binds) }
    }

    /// One statement on any connection; returns the rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresEncodable] = []) throws -> Int {
        try withConnection { try $0.execute(sql, binds) }
    }

    /// Closes idle connections and makes every later acquire fail with `poolClosed`; connections in
    /// use are closed as they come back.
    public func close() {
        state.condition.lock()
        state.closed = true
        let idle = state.idle
        state.open -= idle.count
        state.idle.removeAll()
        state.condition.broadcast()
        state.condition.unlock()
        _ = idle  // deinit of each connection calls PQfinish
        metrics.update(open: 0, inUse: 0)
    }

    // MARK: - Checkout

    func acquire() throws(PostgresError) -> PostgresConnection {
        let start = PostgresConnection.now()
        let deadline = Date(timeIntervalSinceNow: configuration.acquireTimeout.seconds)
        state.condition.lock()
        while true {
            if state.closed {
                state.condition.unlock()
                throw .poolClosed
            }
            if let connection = state.idle.popLast() {
                state.condition.unlock()
                if connection.looksAlive() {
                    metrics.acquired(waitedNanoseconds: PostgresConnection.now() - start)
                    return connection
                }
                metrics.replaced()
                state.condition.lock()
                state.open -= 1
                continue  // drop it (deinit closes) and try the next, or open a fresh one
            }
            if state.open < configuration.maxConnections {
                if let failure = state.lastConnectFailure,
                    PostgresConnection.now() < failure.at + configuration.reconnectBackoff.nanoseconds
                {
                    state.condition.unlock()
                    throw .connection(failure.message)
                }
                state.open += 1
                state.condition.unlock()
                return try open(start: start)
            }
            state.waiting += 1
            let signalled = state.condition.wait(until: deadline)
            state.waiting -= 1
            if !signalled && Date() >= deadline {
                state.condition.unlock()
                metrics.timedOut()
                throw .poolTimeout
            }
        }
    }

    private func open(start: UInt64) throws(PostgresError) -> PostgresConnection {
        do {
            let connection = try PostgresConnection.connect(configuration)
            state.condition.lock()
            state.lastConnectFailure = nil
            let (open, inUse) = (state.open, state.open - state.idle.count)
            state.condition.unlock()
            metrics.opened()
            metrics.update(open: open, inUse: inUse)
            metrics.acquired(waitedNanoseconds: PostgresConnection.now() - start)
            return connection
        } catch {
            state.condition.lock()
            state.open -= 1
            state.lastConnectFailure = (PostgresConnection.now(), error.description)
            state.condition.signal()  // a waiter may open (or fail) in our place
            state.condition.unlock()
            metrics.connectFailed()
            throw error
        }
    }

    func release(_ connection: PostgresConnection) {
        if !connection.isBroken && connection.isInFailedOrOpenTransaction {
            try? connection.simpleQuery("ROLLBACK")
        }
        let reusable = !connection.isBroken && connection.isIdle
        state.condition.lock()
        if reusable && !state.closed {
            state.idle.append(connection)
        } else {
            state.open -= 1
        }
        let (open, inUse) = (state.open, state.open - state.idle.count)
        state.condition.signal()
        state.condition.unlock()
        if !reusable { metrics.replaced() }
        metrics.update(open: open, inUse: inUse)
    }
}

/// The pool's mutable state, guarded by `condition` (its lock, and the wait for a free connection).
private final class PoolState: @unchecked Sendable {
    let condition = NSCondition()
    var idle: [PostgresConnection] = []
    /// Connections that exist or are being opened (idle + in use + connecting).
    var open = 0
    var waiting = 0
    var closed = false
    var lastConnectFailure: (at: UInt64, message: String)?
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    var nanoseconds: UInt64 {
        let (s, atto) = components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, atto) / 1_000_000_000)
    }
}
