import Foundation
import Synchronization

/// Threads for work that blocks for long and unpredictable times (a streamed response waiting on its
/// client, a deferred response waiting on an LLM provider): one thread per task, reused when idle,
/// created when none is, and ended after `idleTimeout` without work.
///
/// Why not a concurrent `DispatchQueue`: on Linux libdispatch runs about one thread per core for a
/// queue and is slow to add more when they block, so on two cores a third blocked stream or provider
/// call would wait for one of the first two to finish.
public final class ElasticThreads: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        /// Threads waiting on `wake`.
        var idle = 0
        /// Signals sent to `wake` and not yet taken: idle threads already promised to a task.
        var wakes = 0
        var threads = 0
    }

    /// Beyond this many threads, work waits for one to free up instead of creating another.
    public let maximumThreads: Int
    public let idleTimeout: Duration
    private let name: String
    // Work handed to threads and the thread counts; `wake` is signalled once per queued task.
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    public init(name: String, maximumThreads: Int = 4096, idleTimeout: Duration = .seconds(30)) {
        self.name = name
        self.maximumThreads = maximumThreads
        self.idleTimeout = idleTimeout
    }

    /// Runs `work` on an idle thread, or a new one.
    public func run(_ work: @escaping @Sendable () -> Void) {
        enum Action { case signal, spawn, wait }
        let action = state.withLock { s -> Action in
            s.queue.append(work)
            if s.idle > s.wakes {
                s.wakes += 1
                return .signal
            }
            guard s.threads < maximumThreads else { return .wait }  // a busy thread takes it when done
            s.threads += 1
            return .spawn
        }
        switch action {
        case .signal:
            wake.signal()
        case .spawn:
            let thread = Thread { [self] in loop() }
            thread.name = name
            thread.stackSize = 512 * 1024
            thread.start()
        case .wait:
            break
        }
    }

    /// Threads alive now (for tests and metrics).
    public var threadCount: Int { state.withLock { $0.threads } }

    private func loop() {
        while true {
            let next = state.withLock { s -> (@Sendable () -> Void)? in
                if s.queue.isEmpty {
                    s.idle += 1
                    return nil
                }
                return s.queue.removeFirst()
            }
            if let next {
                next()
                continue
            }
            let (seconds, atto) = idleTimeout.components
            let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(atto / 1_000_000_000))
            if wake.wait(timeout: deadline) == .timedOut {
                let exit = state.withLock { s -> Bool in
                    // Every idle thread may be promised to a task already: then a signal is on its way.
                    guard s.idle > s.wakes else { return false }
                    s.idle -= 1
                    s.threads -= 1
                    return true
                }
                if exit { return }
                wake.wait()
            }
            state.withLock { s in
                s.idle -= 1
                s.wakes -= 1
            }
        }
    }
}
