import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads that run one queue's handlers.
///
/// Not the Dispatch global pool: handlers block (PostgreSQL, HTTP), and on Linux Dispatch adds
/// threads for blocked work slowly (measured here: 16 sleeping work items on a concurrent queue ran
/// at most 5 at a time on 2 cores), which would quietly cap a queue's concurrency. The producer never
/// submits more work than there are free threads, so work does not wait here.
final class WorkerThreads: Sendable {
    typealias Work = @Sendable () -> Void

    private let name: String
    private let count: Int
    /// Work not yet taken by a thread, and whether threads should exit once it is empty.
    private let state = Mutex<(queue: [Work], head: Int, stopping: Bool)>(([], 0, false))
    /// One signal per submitted item (and per thread at stop).
    private let available = DispatchSemaphore(value: 0)

    init(name: String, count: Int) {
        self.name = name
        self.count = max(1, count)
    }

    func start() {
        for i in 0..<count {
            let thread = Thread { [self] in self.run() }
            thread.name = "\(name)-\(i)"
            thread.start()
        }
    }

    func submit(_ work: @escaping Work) {
        state.withLock { $0.queue.append(work) }
        available.signal()
    }

    /// Idle threads exit at once, busy ones when their handler returns.
    func stop() {
        state.withLock { $0.stopping = true }
        for _ in 0..<count { available.signal() }
    }

    private func run() {
        while true {
            available.wait()
            while let work = next() { work() }
            if state.withLock({ $0.stopping && $0.head == $0.queue.count }) { return }
        }
    }

    private func next() -> Work? {
        state.withLock { s -> Work? in
            guard s.head < s.queue.count else { return nil }
            let work = s.queue[s.head]
            s.head += 1
            if s.head == s.queue.count {
                s.queue.removeAll(keepingCapacity: true)
                s.head = 0
            }
            return work
        }
    }
}
