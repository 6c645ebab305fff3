import Dispatch
import HTTP
import Synchronization

/// Runs expensive work — password hashing, ~300 ms of CPU each — at most `concurrency` at a time, with
/// at most `maxWaiting` callers queued behind; beyond that the caller gets 503 with `Retry-After` at
/// once. A burst of logins then costs a bounded share of the CPU instead of starving every other
/// request on the box (DESIGN §7).
public final class HashingQueue: Sendable {
    /// Seconds a rejected caller is told to wait.
    public static let retryAfterSeconds = 1

    private let permits: DispatchSemaphore
    private let maxWaiting: Int
    private let waitTimeout: Duration
    /// Callers waiting for a permit (not those running).
    private let waiting = Atomic(0)

    /// - Parameters:
    ///   - concurrency: hashes running at once; keep it below the core count.
    ///   - maxWaiting: callers allowed to queue; more are turned away without waiting.
    ///   - waitTimeout: how long a queued caller waits before being turned away.
    public init(concurrency: Int, maxWaiting: Int, waitTimeout: Duration = .seconds(5)) {
        permits = DispatchSemaphore(value: max(1, concurrency))
        self.maxWaiting = max(0, maxWaiting)
        self.waitTimeout = waitTimeout
    }

    /// Runs `body` when a slot is free; throws a 503 `HTTPError` when the queue is full or the wait
    /// times out.
    public func run<T>(_ body: () throws -> T) throws -> T {
        if permits.wait(timeout: .now()) == .timedOut {
            let queued = waiting.add(1, ordering: .relaxed).newValue
            defer { waiting.subtract(1, ordering: .relaxed) }
            guard queued <= maxWaiting else { throw Self.busy }
            let (seconds, attoseconds) = waitTimeout.components
            let deadline =
                DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
            guard permits.wait(timeout: deadline) == .success else { throw Self.busy }
        }
        defer { permits.signal() }
        return try body()
    }

    static var busy: HTTPError {
        var headers = HTTPFields()
        headers.append(.retryAfter, String(retryAfterSeconds))
        return HTTPError(.serviceUnavailable, detail: "Too many sign-ins at once; retry shortly.", headers: headers)
    }
}
