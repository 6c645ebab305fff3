import Auth
import Dispatch
import Foundation
import HTTP
import Synchronization
import Testing

@Suite struct HashingQueueTests {
    /// Counts how many bodies run at once, and the most ever seen.
    final class Gauge: Sendable {
        private let state = Mutex((now: 0, peak: 0))
        func enter() {
            state.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
            }
        }
        func leave() { state.withLock { $0.now -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
    }

    @Test func neverMoreThanTheConcurrencyRunAndWaitersAllFinish() {
        let queue = HashingQueue(concurrency: 2, maxWaiting: 16)
        let gauge = Gauge()
        let failures = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        // Real threads, not concurrentPerform (which may run on one thread on a busy machine). Each
        // body lingers until a second one is inside (or 2 s pass), so reaching 2 does not depend on
        // scheduling luck, and the gauge would see a third if the queue let one in.
        for _ in 0..<12 {
            Thread.detachNewThread {
                do {
                    try queue.run {
                        gauge.enter()
                        let until = Date().addingTimeInterval(2)
                        while gauge.peak < 2 && Date() < until { usleep(1_000) }
                        usleep(5_000)
                        gauge.leave()
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
                done.signal()
            }
        }
        for _ in 0..<12 { done.wait() }
        #expect(gauge.peak == 2)
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func aFullQueueTurnsCallersAwayWith503() throws {
        let queue = HashingQueue(concurrency: 1, maxWaiting: 1)
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? queue.run {
                started.signal()
                release.wait()
            }
        }
        started.wait()
        // One caller may wait…
        let waiter = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? queue.run {}
            waiter.signal()
        }
        usleep(50_000)
        // …the next is refused at once.
        #expect {
            try queue.run {}
        } throws: { error in
            guard let http = error as? HTTPError else { return false }
            return http.status == .serviceUnavailable && http.headers[.retryAfter] == "1"
        }
        release.signal()
        #expect(waiter.wait(timeout: .now() + 5) == .success)
        // Free again.
        #expect(throws: Never.self) { try queue.run {} }
    }

    @Test func aQueuedCallerGivesUpAfterTheWaitTimeout() {
        let queue = HashingQueue(concurrency: 1, maxWaiting: 4, waitTimeout: .milliseconds(100))
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? queue.run {
                started.signal()
                release.wait()
            }
        }
        started.wait()
        #expect(throws: HTTPError.self) { try queue.run {} }
        release.signal()
    }
}
