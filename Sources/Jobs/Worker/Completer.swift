import Dispatch
import Logging
import Postgres
import Synchronization

/// How one attempt ended, as the completer writes it.
enum AttemptOutcome: Sendable {
    case completed
    /// `retryDelay` nil means no attempts are left: discard.
    case failed(error: String, retryDelay: Duration?)
    case cancelled(reason: String)
    case snoozed(Duration)
}

/// One finished attempt waiting to be written.
struct FinishedAttempt: Sendable {
    let id: Int64
    let attempt: Int
    let outcome: AttemptOutcome
}

/// Writes attempt outcomes in batches: finished attempts wait up to `completerFlushDelay` (or until
/// `completerMaxBatch` are waiting), then one `UPDATE … FROM unnest(ids, attempts)` finalizes all the
/// completed ones and one more writes the rest. Flushes run one at a time on a serial queue, so what
/// finishes during a flush goes into the next, bigger one.
///
/// Each row is matched on (id, attempt, state = 'running'): an outcome that arrives after the rescuer
/// took the job back, or after another worker claimed it again, changes nothing.
final class Completer: Sendable {
    private let pool: PostgresPool
    private let logger: Logger
    private let queue = DispatchQueue(label: "jobs.completer")
    /// Attempts not yet written, whether a flush is queued, and whether `close` was called.
    private let buffer = Mutex(Buffer())

    private struct Buffer {
        var pending: [FinishedAttempt] = []
        var flushQueued = false
        var closed = false
    }

    init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Queues an outcome; false (and nothing written) after `close`.
    @discardableResult
    func add(_ attempt: FinishedAttempt) -> Bool {
        enum Action {
            case none
            case later
            case now
            case closed
        }
        let action = buffer.withLock { b -> Action in
            guard !b.closed else { return .closed }
            b.pending.append(attempt)
            if b.pending.count == JobLimits.completerMaxBatch { return .now }
            guard !b.flushQueued else { return .none }
            b.flushQueued = true
            return .later
        }
        switch action {
        case .none: return true
        case .closed: return false
        case .now: queue.async { self.flush() }
        case .later:
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(JobLimits.completerFlushDelay.jobNanoseconds))) {
                self.flush()
            }
        }
        return true
    }

    /// Writes everything queued and refuses later outcomes (their jobs are left to the rescuer or
    /// to the graceful-stop release). Returns once written or given up on.
    func close() {
        buffer.withLock { $0.closed = true }
        queue.sync { self.flush() }
    }

    private var isClosed: Bool { buffer.withLock { $0.closed } }

    private func flush() {
        let batch = buffer.withLock { b -> [FinishedAttempt] in
            b.flushQueued = false
            defer { b.pending = [] }
            return b.pending
        }
        var start = 0
        while start < batch.count {
            let end = min(start + JobLimits.completerMaxBatch, batch.count)
            writeRetrying(batch[start..<end])
            start = end
        }
    }

    /// Retries while PostgreSQL is unreachable; once closed, one last try.
    private func writeRetrying(_ batch: ArraySlice<FinishedAttempt>) {
        var failures = 0
        while true {
            do {
                try write(batch)
                return
            } catch {
                failures += 1
                logger.error(
                    "cannot record job outcomes",
                    metadata: ["jobs": "\(batch.count)", "error": "\(error)", "failures": "\(failures)"])
                if isClosed && failures > 1 { return }
                Sleep.for(JobLimits.errorBackoff)
            }
        }
    }

    private func write(_ batch: ArraySlice<FinishedAttempt>) throws {
        var doneIDs = [Int64]()
        var doneAttempts = [Int]()
        doneIDs.reserveCapacity(batch.count)
        doneAttempts.reserveCapacity(batch.count)
        var other = FinishArrays()
        for finished in batch {
            if case .completed = finished.outcome {
                doneIDs.append(finished.id)
                doneAttempts.append(finished.attempt)
            } else {
                other.append(finished)
            }
        }
        try pool.withConnection { connection in
            if !doneIDs.isEmpty { try connection.execute(Self.completeSQL, [doneIDs, doneAttempts]) }
            if !other.ids.isEmpty {
                try connection.execute(
                    Self.finishSQL,
                    [other.ids, other.attempts, other.states, other.delays, other.errors, other.refunds])
            }
        }
    }

    /// Parallel arrays for `finishSQL`.
    private struct FinishArrays {
        var ids: [Int64] = []
        var attempts: [Int] = []
        var states: [String] = []
        var delays: [Double?] = []
        var errors: [String?] = []
        var refunds: [Int] = []

        mutating func append(_ finished: FinishedAttempt) {
            let (state, delay, error, refund): (JobState, Duration?, String?, Int)
            switch finished.outcome {
            case .completed: (state, delay, error, refund) = (.completed, nil, nil, 0)
            case .failed(let message, let retryDelay):
                (state, delay, error, refund) = (retryDelay == nil ? .discarded : .retryable, retryDelay, message, 0)
            case .cancelled(let reason): (state, delay, error, refund) = (.cancelled, nil, reason, 0)
            case .snoozed(let after): (state, delay, error, refund) = (.scheduled, after, nil, 1)
            }
            ids.append(finished.id)
            attempts.append(finished.attempt)
            states.append(state.rawValue)
            delays.append(delay?.jobSeconds)
            errors.append(error.map { String($0.prefix(JobLimits.maxErrorLength)) })
            refunds.append(refund)
        }
    }

    /// The hot path: `running` → `completed` for a batch of (id, attempt).
    static let completeSQL = """
        UPDATE jobs j SET state = 'completed', finalized_at = now()
        FROM unnest($1::bigint[], $2::integer[]) AS d(id, attempt)
        WHERE j.id = d.id AND j.attempt = d.attempt AND j.state = 'running'
        """

    /// Every other outcome: the next state is decided in Swift (discard when no attempts are left), the
    /// error is appended to `errors`, and a snooze gives its attempt back.
    static let finishSQL = """
        UPDATE jobs j SET
            state = d.state,
            attempt = j.attempt - d.refund,
            scheduled_at = CASE WHEN d.delay IS NULL THEN j.scheduled_at
                                ELSE now() + d.delay * interval '1 second' END,
            finalized_at = CASE WHEN d.state IN ('completed', 'discarded', 'cancelled') THEN now() END,
            errors = CASE WHEN d.error IS NULL THEN j.errors
                          ELSE j.errors || jsonb_build_object('attempt', j.attempt,
                               'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                               'error', d.error) END
        FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::float8[], $5::text[], $6::integer[])
            AS d(id, attempt, state, delay, error, refund)
        WHERE j.id = d.id AND j.attempt = d.attempt AND j.state = 'running'
        """
}
