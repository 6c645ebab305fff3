import Dispatch

/// One serial I/O queue and the connections pinned to it, with the timer that enforces their deadlines.
/// Connections live in a dictionary (not a thread each): 10,000 idle ones cost memory only.
final class IOLoop: @unchecked Sendable {  // `connections` is confined to `queue`
    let queue: DispatchQueue
    /// Read buffer shared by this queue's connections (only one runs at a time on a serial queue).
    let scratch: UnsafeMutableRawBufferPointer
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var timer: (any DispatchSourceTimer)?

    init(index: Int) {
        queue = DispatchQueue(label: "http.io.\(index)")
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { scratch.deallocate() }

    /// Starts serving a connection (on `queue`).
    func add(_ connection: Connection) {
        connections[ObjectIdentifier(connection)] = connection
        connection.start()
    }

    func remove(_ connection: Connection) {
        connections.removeValue(forKey: ObjectIdentifier(connection))
    }

    /// Deadlines are checked four times a second: a timer per queue, not per connection.
    func startTimer() {
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250), leeway: .milliseconds(50))
        t.setEventHandler { [unowned self] in
            let now = Clock.now
            for c in connections.values { c.checkDeadlines(now: now) }
        }
        t.activate()
        timer = t
    }

    func stopTimer() {
        timer?.cancel()
        timer = nil
    }

    func drainAll() {
        for c in connections.values { c.drain() }
    }

    func destroyAll() {
        for c in connections.values { c.destroy() }
    }
}
