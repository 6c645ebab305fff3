import Synchronization

/// A value shared between test threads (a counter, a list of outcomes), behind a `Mutex`.
public final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    public init(_ value: Value) {
        self.value = Mutex(value)
    }

    public func withLock<R: Sendable>(_ body: (inout Value) throws -> R) rethrows -> R {
        try value.withLock { try body(&$0) }
    }
}
