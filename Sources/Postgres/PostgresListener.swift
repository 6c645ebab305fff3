import CLibPQ
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// LISTEN/NOTIFY on a dedicated connection, served by one thread of its own.
///
/// The connection is not pooled: LISTEN is session state. When the connection breaks (PostgreSQL
/// restarted, network cut) the thread reconnects with capped exponential backoff, LISTENs again on
/// every channel, and calls `onReconnect` — notifications sent while disconnected are lost, so
/// consumers poll once there (the job queue does).
public final class PostgresListener: Sendable {
    static let backoffFloor: Duration = .milliseconds(100)
    static let backoffCeiling: Duration = .seconds(2)

    private let configuration: PostgresConfiguration
    private let onReconnect: @Sendable () -> Void
    /// Channels and handlers (read by the listener thread), channels not yet LISTENed, lifecycle flags.
    private let state = Mutex(State())
    /// A non-blocking pipe written to wake the thread from `poll` (a new channel, or stop).
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private struct State {
        var handlers: [String: [@Sendable (String) -> Void]] = [:]
        var pending: Set<String> = []
        var started = false
        var stopped = false
        var connected = false
    }

    public init(configuration: PostgresConfiguration, onReconnect: @escaping @Sendable () -> Void = {}) {
        self.configuration = configuration
        self.onReconnect = onReconnect
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // never inherited by spawned servers (DevServices)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Calls `handler` with each notification's payload on `channel`. Handlers run on the listener
    /// thread: keep them short (signal a worker, don't do the work).
    public func listen(_ channel: String, _ handler: @escaping @Sendable (_ payload: String) -> Void) {
        state.withLock {
            if $0.handlers[channel] == nil { $0.pending.insert(channel) }
            $0.handlers[channel, default: []].append(handler)
        }
        wake()
    }

    /// True while the LISTEN connection is up (tests, diagnostics).
    public var isConnected: Bool { state.withLock { $0.connected } }

    public func start() {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        let thread = Thread { [self] in self.run() }
        thread.name = "pg-listener"
        thread.start()
    }

    /// Stops the thread and closes the connection (within one poll cycle).
    public func stop() {
        state.withLock { $0.stopped = true }
        wake()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func wake() {
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
    }

    private func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private func run() {
        var backoff = Self.backoffFloor
        var everConnected = false
        while !isStopped {
            guard let connection = try? PostgresConnection.connect(configuration) else {
                sleep(backoff)
                backoff = min(backoff * 2, Self.backoffCeiling)
                continue
            }
            backoff = Self.backoffFloor
            // Every known channel must be LISTENed on this new session.
            state.withLock { $0.pending = Set($0.handlers.keys) }
            if serve(connection, reconnected: everConnected) { everConnected = true }
            state.withLock { $0.connected = false }
        }
    }

    /// Serves one connection until it breaks or the listener stops. Returns whether it got going.
    private func serve(_ connection: PostgresConnection, reconnected: Bool) -> Bool {
        guard listenPending(connection) else { return false }
        state.withLock { $0.connected = true }
        if reconnected { onReconnect() }
        var fds = [
            pollfd(fd: PQsocket(connection.handle), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        while !isStopped {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, 5_000)
            if ready < 0 && errno != EINTR { return true }
            if fds[1].revents != 0 {
                drainWake()
                if !listenPending(connection) { return true }
            }
            if fds[0].revents != 0 || ready == 0 {
                // On timeout, consuming is also how a silently dead socket is noticed (keepalives).
                guard PQconsumeInput(connection.handle) == 1, !connection.isBroken else { return true }
                deliver(connection)
            }
        }
        return true
    }

    private func listenPending(_ connection: PostgresConnection) -> Bool {
        let channels = state.withLock { s -> Set<String> in
            defer { s.pending = [] }
            return s.pending
        }
        for channel in channels {
            guard let quoted = PQescapeIdentifier(connection.handle, channel, channel.utf8.count) else { return false }
            let sql = "LISTEN " + String(cString: quoted)
            PQfreemem(quoted)
            do {
                try connection.simpleQuery(sql)
            } catch {
                state.withLock { _ = $0.pending.insert(channel) }
                return false
            }
        }
        deliver(connection)
        return true
    }

    private func deliver(_ connection: PostgresConnection) {
        while let notification = PQnotifies(connection.handle) {
            let channel = String(cString: notification.pointee.relname)
            let payload = notification.pointee.extra.map { String(cString: $0) } ?? ""
            PQfreemem(notification)
            let handlers = state.withLock { $0.handlers[channel] ?? [] }
            for handler in handlers { handler(payload) }
        }
    }

    private func sleep(_ duration: Duration) {
        // Sleep on the wake fd so `stop()` interrupts the backoff.
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        let ms = Int32(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        _ = poll(&fd, 1, ms)
        drainWake()
    }
}
