import Synchronization

/// Idle keep-alive connections, per scheme, host and port.
///
/// Connections are handed out most recently used first (the likeliest still to be open on the server's
/// side), at most `maxIdlePerHost` wait per origin (the oldest is closed to make room), and one that sat
/// longer than `idleTimeout` is closed instead of reused. There is no reaper thread: expired connections
/// are closed on the next `take` or `put`, and by `closeAll()`. Sockets are closed outside the lock.
final class ConnectionPool: Sendable {
    private struct State {
        var idle: [PoolKey: [ClientConnection]] = [:]
        var isClosed = false
    }

    private let maxIdlePerHost: Int
    private let idleTimeout: Duration
    private let state = Mutex(State())  // shared by every thread that sends requests through the client

    init(maxIdlePerHost: Int, idleTimeout: Duration) {
        self.maxIdlePerHost = maxIdlePerHost
        self.idleTimeout = idleTimeout
    }

    /// An idle connection to `key` that still looks alive, or nil. Throws once the pool is closed.
    func take(_ key: PoolKey) throws(HTTPClientError) -> ClientConnection? {
        while true {
            let (candidate, expired, isClosed) = state.withLock { state in
                let expired = Self.removeExpired(&state.idle, key, olderThan: ContinuousClock.now - idleTimeout)
                return (state.idle[key]?.popLast(), expired, state.isClosed)
            }
            for connection in expired { connection.close() }
            guard !isClosed else { throw .clientClosed }
            guard let candidate else { return nil }
            if candidate.looksAlive { return candidate }
            candidate.close()
        }
    }

    /// Returns a connection for reuse; closes it instead when the pool is closed, and closes the oldest
    /// idle one when the origin already has `maxIdlePerHost`.
    func put(_ connection: ClientConnection) {
        connection.idleSince = ContinuousClock.now
        let toClose = state.withLock { state -> [ClientConnection] in
            guard !state.isClosed, maxIdlePerHost > 0 else { return [connection] }
            var dropped: [ClientConnection] = []
            let cutoff = ContinuousClock.now - idleTimeout
            for key in Array(state.idle.keys) { dropped += Self.removeExpired(&state.idle, key, olderThan: cutoff) }
            var list = state.idle[connection.key] ?? []
            if list.count >= maxIdlePerHost { dropped.append(list.removeFirst()) }
            list.append(connection)
            state.idle[connection.key] = list
            return dropped
        }
        for connection in toClose { connection.close() }
    }

    /// Closes every idle connection; later `take`s throw and later `put`s close what they are given.
    func closeAll() {
        let all = state.withLock { state -> [ClientConnection] in
            state.isClosed = true
            defer { state.idle = [:] }
            return state.idle.values.flatMap { $0 }
        }
        for connection in all { connection.close() }
    }

    /// How many connections wait in the pool.
    var idleCount: Int { state.withLock { $0.idle.values.reduce(0) { $0 + $1.count } } }

    /// Removes and returns the connections of `key` idle since before `cutoff` (the list is oldest first).
    private static func removeExpired(
        _ idle: inout [PoolKey: [ClientConnection]], _ key: PoolKey, olderThan cutoff: ContinuousClock.Instant
    ) -> [ClientConnection] {
        guard var list = idle[key] else { return [] }
        let fresh = list.firstIndex { $0.idleSince >= cutoff } ?? list.count
        let expired = Array(list[..<fresh])
        list.removeFirst(fresh)
        idle[key] = list.isEmpty ? nil : list
        return expired
    }
}
