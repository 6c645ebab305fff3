import Dispatch
import Foundation
import Synchronization

/// Runs `body(i)` on `count` dedicated threads and waits for all of them. Blocking socket calls must not
/// sit on Swift's cooperative pool or Dispatch's (both are as wide as the core count: 2 here).
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    startThreads(count, body).wait()
}

/// Starts `count` threads running `body(i)`; the returned group is left when all have finished.
func startThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) -> DispatchGroup {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let t = Thread {
            body(i)
            group.leave()
        }
        t.stackSize = 512 * 1024
        t.start()
    }
    return group
}

/// Values appended from several threads.
final class Collector<T: Sendable>: Sendable {
    // Appended by worker threads, read by the test thread after they finished.
    private let items = Mutex<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
}

/// Milliseconds since `start`.
func millis(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}
