import Foundation
import Synchronization

/// A fixed set of threads that run request handlers, with a bounded wait queue.
///
/// Handlers may block on PostgreSQL or Redis, so they get real threads of their own rather than the
/// Dispatch pool (which adds threads for blocked work slowly and without a bound). When every thread is
/// busy and the queue is full, `submit` refuses at once and the caller answers 503 (load shedding).
final class HandlerPool: @unchecked Sendable {  // mutable state guarded by `mutex`/`cond`
    typealias Work = @Sendable () -> Void

    // Allocated, not stored inline: a pthread object must not move, and Swift gives no address
    // guarantee for a stored property passed with `&`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queue = FIFO<Work>()
    private var idle = 0
    private var stopping = false
    private var busy = 0
    private let queueLimit: Int
    private let threadCount: Int
    private let exited = DispatchGroup()

    init(threads: Int, queueLimit: Int) {
        self.threadCount = max(1, threads)
        self.queueLimit = max(0, queueLimit)
        mutex.initialize(to: pthread_mutex_t())
        cond.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
        for i in 0..<threadCount {
            exited.enter()
            let t = Thread { [self] in self.run() }
            t.name = "http-handler-\(i)"
            t.stackSize = 512 * 1024
            t.start()
        }
    }

    /// Requests waiting for a thread.
    var queueDepth: Int { locked { queue.count } }
    /// Threads running a handler now.
    var busyThreads: Int { locked { busy } }

    /// Runs `work` on a handler thread, or returns false when the pool and its queue are full.
    func submit(_ work: @escaping Work) -> Bool {
        pthread_mutex_lock(mutex)
        guard !stopping, queue.count < queueLimit || idle > queue.count else {
            pthread_mutex_unlock(mutex)
            return false
        }
        queue.append(work)
        let wake = idle > 0
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(cond) }
        return true
    }

    /// Lets queued work finish, then ends the threads; returns false if they did not end in time.
    func shutdown(timeout: Duration) -> Bool {
        locked { stopping = true }
        pthread_cond_broadcast(cond)
        return exited.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            if let work = queue.popFirst() {
                busy += 1
                pthread_mutex_unlock(mutex)
                work()
                pthread_mutex_lock(mutex)
                busy -= 1
                continue
            }
            if stopping { break }
            idle += 1
            pthread_cond_wait(cond, mutex)
            idle -= 1
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
