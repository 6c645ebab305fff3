import Dispatch
import Synchronization

/// A bounded pool of `RedisConnection`s for threads that block (HTTP handlers, job workers).
///
/// - Connections open lazily, at most `poolSize`; when all are busy, callers wait up to
///   `acquireTimeout`, then get `poolTimeout`.
/// - An idle connection is probed before reuse (a restarted Redis closed it); a broken one is dropped
///   and the next checkout dials again, so a Redis that comes back is used without recreating the pool.
/// - A failed connect makes every caller fail at once with `.connection` for `reconnectBackoff`, so a
///   dead Redis costs a request nothing but an error (connects themselves give up after `connectTimeout`).
/// - Retry rule: a read-only command (`RedisRetryPolicy`) whose reused connection died mid-flight is sent
///   once more on a fresh connection; anything else surfaces the error.
public final class RedisPool: Sendable {
    public let configuration: RedisConfiguration
    /// One permit per connection that may be checked out (idle or not opened yet); bounds the pool.
    private let permits: DispatchSemaphore
    /// Guards the idle list, the count of open connections, the last connect failure and `closed`.
    private let state: Mutex<State>
    let metrics: RedisMetrics

    private struct State {
        var idle: [PooledConnection] = []
        /// Connections that exist or are being opened (idle + in use + connecting).
        var open = 0
        var lastConnectFailure: (at: ContinuousClock.Instant, message: String)?
        var closed = false
    }

    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
        permits = DispatchSemaphore(value: max(1, configuration.poolSize))
        state = Mutex(State())
        metrics = RedisMetrics(pool: configuration.name)
    }

    /// Parses `url` (see `RedisConfiguration.init(url:)`) with default settings.
    public convenience init(url: String) throws(RedisError) {
        self.init(configuration: try RedisConfiguration(url: url))
    }

    /// Counts for tests and `/readyz`.
    public struct Statistics: Sendable, Equatable {
        public var open: Int
        public var idle: Int

        public init(open: Int, idle: Int) {
            self.open = open
            self.idle = idle
        }
    }

    public var statistics: Statistics {
        state.withLock { Statistics(open: $0.open, idle: $0.idle.count) }
    }

    /// Runs `body` with a connection of its own (for MULTI/EXEC, WATCH or several dependent commands).
    /// A connection that broke inside `body` is dropped, not returned to the pool.
    public func withConnection<T>(_ body: (RedisConnection) throws -> T) throws -> T {
        let (pooled, _) = try acquire()
        defer { release(pooled) }
        return try body(pooled.connection)
    }

    /// Closes idle connections; later checkouts fail with `poolClosed`, busy connections close on return.
    public func close() {
        let dropped = state.withLock { state in
            state.closed = true
            let idle = state.idle
            state.open -= idle.count
            state.idle.removeAll()
            return idle.count
        }
        if dropped > 0 { metrics.open(statistics.open) }
    }

    /// Runs `body` on a pooled connection, replaying it once on a fresh connection when `retryable` and
    /// the reused connection broke (see the retry rule above).
    func run<T>(retryable: Bool, _ body: (RedisConnection) throws(RedisError) -> T) throws(RedisError) -> T {
        var retried = false
        while true {
            let (pooled, reused) = try acquire()
            do throws(RedisError) {
                let result = try body(pooled.connection)
                release(pooled)
                return result
            } catch {
                release(pooled)
                guard case .connection = error, retryable, reused, !retried else { throw error }
                retried = true
            }
        }
    }

    // MARK: - Checkout

    private enum Step {
        case reuse(PooledConnection)
        case dial
    }

    private func acquire() throws(RedisError) -> (PooledConnection, reused: Bool) {
        if state.withLock({ $0.closed }) { throw failed(.poolClosed) }
        let nanoseconds = configuration.acquireTimeout.wholeNanoseconds
        guard permits.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else {
            throw failed(.poolTimeout)
        }
        // Holding a permit: there is an idle connection or room to open one.
        do throws(RedisError) {
            while true {
                switch try nextStep() {
                case .reuse(let pooled):
                    if pooled.connection.looksAlive() { return (pooled, true) }
                    // Closed while idle: forget it (dropping `pooled` frees the context) and look again.
                    let open = state.withLock { state in
                        state.open -= 1
                        return state.open
                    }
                    metrics.open(open)
                case .dial:
                    return (try dial(), false)
                }
            }
        } catch {
            permits.signal()
            throw failed(error)
        }
    }

    private func nextStep() throws(RedisError) -> Step {
        let now = ContinuousClock.now
        let backoff = configuration.reconnectBackoff
        return try state.withLock { state throws(RedisError) -> Step in
            if state.closed { throw .poolClosed }
            if let pooled = state.idle.popLast() { return .reuse(pooled) }
            if let failure = state.lastConnectFailure, now < failure.at + backoff {
                throw .connection("\(failure.message) (not retrying for \(backoff) after a failed connect)")
            }
            state.open += 1
            return .dial
        }
    }

    private func dial() throws(RedisError) -> PooledConnection {
        do throws(RedisError) {
            let connection = try RedisConnection.connect(configuration)
            connection.metrics = metrics
            let open = state.withLock { state in
                state.lastConnectFailure = nil
                return state.open
            }
            metrics.open(open)
            return PooledConnection(connection)
        } catch {
            let open = state.withLock { state in
                state.open -= 1
                state.lastConnectFailure = (ContinuousClock.now, error.message)
                return state.open
            }
            metrics.open(open)
            throw error
        }
    }

    private func release(_ pooled: PooledConnection) {
        let reusable = !pooled.connection.isBroken
        let open = state.withLock { state in
            if reusable && !state.closed {
                state.idle.append(pooled)
            } else {
                state.open -= 1
            }
            return state.open
        }
        permits.signal()
        if !reusable { metrics.open(open) }
    }

    private func failed(_ error: RedisError) -> RedisError {
        metrics.failed(error)
        return error
    }
}

/// Hands a connection between threads through the pool's lock. `@unchecked` because the connection
/// itself is not thread-safe: the pool guarantees one holder at a time.
private final class PooledConnection: @unchecked Sendable {
    let connection: RedisConnection
    init(_ connection: RedisConnection) { self.connection = connection }
}

extension RedisError {
    /// The message of a connection error without the "Redis connection error:" prefix.
    fileprivate var message: String {
        if case .connection(let message) = self { return message }
        return description
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to zero and Int.max.
    var wholeNanoseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (scaled, overflow) = Int(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int.max : scaled + Int(attoseconds / 1_000_000_000)
    }
}
