import Foundation
import Synchronization

/// One attempt of a job, handed to its kind's handler.
///
/// Handlers run on their queue's worker threads and may block (PostgreSQL, HTTP). Swift cannot stop a
/// thread, so a handler that outlives its timeout keeps running: the attempt is already recorded as
/// timed out and retried, and its slot stays taken until it returns. Long handlers should check
/// `isCancelled` between steps and return early.
public struct Job: Sendable {
    public let id: Int64
    public let queue: String
    public let kind: String
    /// 1 on the first run.
    public let attempt: Int
    public let maxAttempts: Int
    /// The arguments as JSON text.
    public let argsJSON: String
    let control: JobControl

    /// When this attempt stops counting: after it, the attempt is recorded as timed out.
    public var deadline: ContinuousClock.Instant { control.deadline }

    /// The arguments decoded as `T` (snake_case keys, ISO 8601 dates, as `JobInsert` encodes them).
    /// As everywhere snake_case is converted, an acronym property does not round-trip (`tripID` is
    /// written `trip_id` and read back as `tripId`): name it `tripId` or give it a `CodingKey`.
    public func decodeArgs<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JobJSON.decoder.decode(T.self, from: Data(argsJSON.utf8))
    }

    /// True once this attempt no longer counts: it timed out, or the process stopped past its grace
    /// period. A cooperative handler returns (or throws) soon after.
    public var isCancelled: Bool { control.status != .running }
}

/// Throw from a handler to finalize the job as `cancelled`: it will not be retried.
public struct JobCancel: Error, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "cancelled: \(reason)" }
}

/// Throw from a handler to run the job again after `delay` without spending an attempt (the resource
/// it waits for is not ready yet).
public struct JobSnooze: Error, CustomStringConvertible {
    public var delay: Duration

    public init(_ delay: Duration) {
        self.delay = delay
    }

    public var description: String { "snoozed for \(delay)" }
}

/// Who decided an attempt's fate first: the handler returning, the timeout sweep, or shutdown.
final class JobControl: Sendable {
    enum Status: UInt8 {
        case running = 0
        case finished = 1
        case timedOut = 2
        case released = 3
    }

    /// The attempt's status; moves away from `running` exactly once.
    private let value = Atomic<UInt8>(Status.running.rawValue)
    let deadline: ContinuousClock.Instant
    let timeout: Duration

    init(timeout: Duration, now: ContinuousClock.Instant) {
        self.timeout = timeout
        deadline = now + timeout
    }

    var status: Status { Status(rawValue: value.load(ordering: .acquiring)) ?? .running }

    /// Moves `running` → `to`; false when something else already decided.
    func decide(_ to: Status) -> Bool {
        value.compareExchange(expected: Status.running.rawValue, desired: to.rawValue, ordering: .acquiringAndReleasing)
            .exchanged
    }
}
