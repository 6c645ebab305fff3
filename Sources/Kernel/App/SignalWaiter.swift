import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Blocks the calling thread until one of the given signals arrives.
///
/// Each signal's default action (terminate) is switched off with `SIG_IGN` first, then observed through
/// a `DispatchSourceSignal` on a global queue, so the process stays alive to drain. Create it before
/// starting the server so a signal that arrives during start-up is not lost.
final class SignalWaiter: Sendable {
    /// Dispatch sources are thread-safe; the protocol just is not annotated `Sendable`.
    private struct Sources: @unchecked Sendable {
        let all: [any DispatchSourceSignal]
    }

    private let semaphore = DispatchSemaphore(value: 0)
    // The first signal received, set on the source's queue and read by the waiting thread.
    private let received = Mutex<Int32?>(nil)
    private let sources: Sources

    init(signals: [Int32]) {
        var all: [any DispatchSourceSignal] = []
        for s in signals {
            signal(s, SIG_IGN)
            all.append(DispatchSource.makeSignalSource(signal: s, queue: .global(qos: .userInitiated)))
        }
        sources = Sources(all: all)
        for (source, number) in zip(all, signals) {
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
        }
    }

    deinit {
        for s in sources.all { s.cancel() }
    }

    private func deliver(_ number: Int32) {
        let first = received.withLock { r -> Bool in
            guard r == nil else { return false }
            r = number
            return true
        }
        if first { semaphore.signal() }
    }

    /// Waits for the first signal and returns its number.
    func wait() -> Int32 {
        semaphore.wait()
        return received.withLock { $0 } ?? 0
    }

    /// `SIGTERM`, `SIGINT`… for log lines.
    static func name(_ number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        default: "signal \(number)"
        }
    }
}
