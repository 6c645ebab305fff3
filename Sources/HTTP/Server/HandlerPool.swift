import Foundation

/// A fixed set of threads that run request handlers, with a bounded wait queue.
///
/// Handlers may block on PostgreSQL or Redis, so they get real threads of their own rather than the
/// Dispatch pool (which adds threads for blocked work slowly and without a bound). When every thread is
/// busy and the queue is full, `submit` refuses at once and the caller answers 503 (load shedding).
///
/// Wake-ups are the dominant cost of a hand-off (profiled: context switches, not Swift code). So:
/// - `submit` wakes a thread only while fewer threads than cores are busy or waking; a busy thread
///   takes the next request itself when it finishes, without sleeping;
/// - idle threads wait on their own condition variable in a LIFO stack, so the cache-hot one runs next;
/// - a monitor checks every millisecond whether queued work made progress; if not, the busy handlers
///   are blocked (on PostgreSQL, say) and it wakes more threads, up to the pool size.
final class HandlerPool: @unchecked Sendable {  // all mutable state guarded by `mutex`
    typealias Work = @Sendable () -> Void

    // Allocated, not stored inline: a pthread object must not move, and Swift gives no address
    // guarantee for a stored property passed with `&`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conds: UnsafeMutablePointer<pthread_cond_t>
    private var queue = FIFO<Work>()
    /// Idle thread indices; the last one idled first.
    private var idle: [Int] = []
    /// Per thread: woken by `submit` (as opposed to a spurious wake-up).
    private var signalled: [Bool]
    /// Threads signalled but not yet running.
    private var waking = 0
    private var busy = 0
    private var stopping = false
    /// Requests taken off the queue so far; the monitor compares it between ticks.
    private var dequeued: UInt64 = 0
    private let queueLimit: Int
    private let threadCount: Int
    /// Threads that may be running at once before the monitor sees blocking: one per core.
    private let activeTarget = max(1, System.activeProcessorCount)
    private let exited = DispatchGroup()

    init(threads: Int, queueLimit: Int) {
        threadCount = max(1, threads)
        self.queueLimit = max(0, queueLimit)
        conds = .allocate(capacity: threadCount)
        signalled = Array(repeating: false, count: threadCount)
        idle.reserveCapacity(threadCount)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        for i in 0..<threadCount {
            (conds + i).initialize(to: pthread_cond_t())
            pthread_cond_init(conds + i, nil)
        }
        for i in 0..<threadCount {
            exited.enter()
            let t = Thread { [self] in self.run(i) }
            t.name = "http-handler-\(i)"
            t.stackSize = 512 * 1024
            t.start()
        }
        exited.enter()
        let monitor = Thread { [self] in self.monitor() }
        monitor.name = "http-handler-monitor"
        monitor.stackSize = 128 * 1024
        monitor.start()
    }

    /// Requests waiting for a thread.
    var queueDepth: Int { locked { queue.count } }
    /// Threads running a handler now.
    var busyThreads: Int { locked { busy } }

    /// Runs `work` on a handler thread, or returns false when every thread is busy and the queue is full.
    func submit(_ work: @escaping Work) -> Bool {
        pthread_mutex_lock(mutex)
        guard !stopping, queue.count < queueLimit + idle.count else {
            pthread_mutex_unlock(mutex)
            return false
        }
        queue.append(work)
        var wake = -1
        if queue.count > waking, busy + waking < activeTarget, let t = idle.popLast() {
            signalled[t] = true
            waking += 1
            wake = t
        }
        pthread_mutex_unlock(mutex)
        if wake >= 0 { pthread_cond_signal(conds + wake) }
        return true
    }

    /// Wakes more threads when queued work has not moved for a tick (the busy ones are blocked).
    private func monitor() {
        var seen: UInt64 = 0
        var quietTicks = 0
        while true {
            usleep(quietTicks > 1000 ? 10_000 : 1_000)  // back off when the server is idle
            var wake: [Int] = []
            pthread_mutex_lock(mutex)
            if stopping {
                pthread_mutex_unlock(mutex)
                break
            }
            if queue.isEmpty {
                quietTicks += 1
            } else {
                quietTicks = 0
                if dequeued == seen {
                    while queue.count > waking, let t = idle.popLast() {
                        signalled[t] = true
                        waking += 1
                        wake.append(t)
                    }
                }
            }
            seen = dequeued
            pthread_mutex_unlock(mutex)
            for t in wake { pthread_cond_signal(conds + t) }
        }
        exited.leave()
    }

    /// Lets queued work finish, then ends the threads; false if they did not end in time.
    func shutdown(timeout: Duration) -> Bool {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_mutex_unlock(mutex)
        for i in 0..<threadCount { pthread_cond_signal(conds + i) }
        return exited.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success
    }

    private func run(_ me: Int) {
        pthread_mutex_lock(mutex)
        while true {
            if let work = queue.popFirst() {
                dequeued &+= 1
                busy += 1
                pthread_mutex_unlock(mutex)
                work()
                pthread_mutex_lock(mutex)
                busy -= 1
                continue
            }
            if stopping { break }
            idle.append(me)
            while !signalled[me], !stopping { pthread_cond_wait(conds + me, mutex) }
            if signalled[me] {
                signalled[me] = false
                waking -= 1
            } else if let i = idle.firstIndex(of: me) {
                idle.remove(at: i)  // woken for shutdown
            }
        }
        pthread_mutex_unlock(mutex)
        exited.leave()
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
