import Dispatch
import Foundation
import Synchronization

/// Runs `body` on a thread of its own every `interval` (measured from the end of one run to the start
/// of the next) until stopped. `trigger()` runs it early; `stop()` returns once the thread is done.
final class PeriodicTask: Sendable {
    let name: String
    private let interval: Duration
    private let body: @Sendable () -> Void
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    /// Whether the thread was started and whether it must stop.
    private let flags = Mutex((started: false, stopping: false))

    init(name: String, interval: Duration, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.interval = interval
        self.body = body
    }

    func start() {
        let first = flags.withLock { f -> Bool in
            defer { f.started = true }
            return !f.started && !f.stopping
        }
        guard first else { return }
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.start()
    }

    func trigger() { wake.signal() }

    func stop() {
        let started = flags.withLock { f -> Bool in
            f.stopping = true
            return f.started
        }
        wake.signal()
        if started { exited.wait() }
    }

    private var isStopping: Bool { flags.withLock { $0.stopping } }

    private func run() {
        while !isStopping {
            body()
            _ = wake.wait(timeout: .now() + .nanoseconds(Int(interval.jobNanoseconds)))
        }
        exited.signal()
    }
}
