import Foundation
import Kernel

/// Hands a streamed answer from the thread that calls the provider to the thread that writes to the
/// client, with a bounded buffer between them: a slow client slows the upstream read (backpressure),
/// and a client that went away (`cancel`) makes the next `push` answer false, which stops the
/// upstream call.
final class StreamRelay: @unchecked Sendable {  // every field is guarded by `condition`
    enum Event: Sendable {
        case chunk(JSONValue)
        /// The upstream finished normally.
        case end
        case failed(GatewayError)
    }

    /// Chunks buffered before the upstream side waits for the client side.
    static let capacity = 64

    private let condition = NSCondition()
    private var events: [Event] = []
    private var head = 0
    private var cancelled = false
    private var closed = false

    /// Queues a chunk, waiting while the buffer is full; false once the client side has cancelled.
    func push(_ chunk: JSONValue) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && events.count - head >= Self.capacity { condition.wait() }
        guard !cancelled else { return false }
        events.append(.chunk(chunk))
        condition.broadcast()
        return true
    }

    /// The upstream side is done (`error` nil: normally).
    func finish(_ error: GatewayError?) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return }
        closed = true
        events.append(error.map(Event.failed) ?? .end)
        condition.broadcast()
    }

    /// The next event, waiting for one.
    func next() -> Event {
        condition.lock()
        defer { condition.unlock() }
        while head == events.count { condition.wait() }
        let event = events[head]
        head += 1
        if head > 256, head * 2 > events.count {
            events.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return event
    }

    /// The client side is gone: the upstream side's next `push` answers false.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
