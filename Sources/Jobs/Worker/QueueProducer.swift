import Dispatch
import Foundation
import Logging
import Postgres
import Synchronization

/// Claims and runs one queue's jobs with at most `concurrency` handlers at a time.
///
/// One thread claims: whenever slots are free and there may be work (a claim came back full, a
/// NOTIFY arrived, or `pollInterval` passed) it claims up to the free slots with one statement
/// (`claimSQL`) and hands each job to one of the queue's `concurrency` worker threads. A finishing
/// handler frees its slot and, while there is a backlog, wakes the claimer. Outcomes go to the
/// shared `Completer`.
final class QueueProducer: Sendable {
    let queue: String
    let concurrency: Int
    private let context: WorkerContext
    private let metrics: QueueMetrics
    /// Where handlers run: `concurrency` threads.
    private let threads: WorkerThreads
    /// Wakes the claim thread; `wakePending` keeps it to one outstanding signal.
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let wakePending = Atomic<Bool>(false)
    /// Signalled when the claim thread has exited.
    private let exited = DispatchSemaphore(value: 0)
    /// Handlers not yet returned (including timed-out ones, which keep their slot).
    private let running = DispatchGroup()
    /// In-flight jobs, the wake-up generation, whether more work may be waiting, lifecycle flags.
    private let state = Mutex(State())

    private struct State {
        var inFlight: [Int64: Job] = [:]
        /// Bumped by every wake-up request, so one arriving during a claim is not lost.
        var generation = 0
        /// True when the last claim came back full or a wake-up arrived since: claim as slots free.
        var backlog = true
        var started = false
        var stopping = false
        /// Where the next claim resumes while a backlog lasts (see `claimAfterSQL`).
        var cursor: ClaimCursor?
        var lastFullScan = ContinuousClock.now
    }

    init(queue: String, concurrency: Int, context: WorkerContext) {
        self.queue = queue
        self.concurrency = max(1, concurrency)
        self.context = context
        metrics = QueueMetrics(queue: queue)
        threads = WorkerThreads(name: "jobs-\(queue)", count: self.concurrency)
    }

    func start() {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        threads.start()
        let thread = Thread { [self] in self.run() }
        thread.name = "jobs-\(queue)-claim"
        thread.start()
    }

    /// There may be new jobs (a notification, a reconnect): claim as soon as a slot is free.
    func wake() {
        state.withLock {
            $0.generation += 1
            $0.backlog = true
        }
        signal()
    }

    // MARK: - Claim loop

    private func run() {
        while true {
            let (free, generation, stopping) = state.withLock {
                (concurrency - $0.inFlight.count, $0.generation, $0.stopping)
            }
            if stopping { break }
            if free > 0 {
                let limit = min(free, JobLimits.maxClaimBatch)
                do {
                    let claimed = try claim(limit: limit)
                    let backlog = state.withLock { s -> Bool in
                        for (job, _) in claimed { s.inFlight[job.id] = job }
                        s.backlog = claimed.count == limit || s.generation != generation
                        return s.backlog
                    }
                    for (job, handler) in claimed { dispatch(job, handler) }
                    if backlog { continue }
                } catch {
                    context.logger.error("cannot claim jobs", metadata: ["queue": "\(queue)", "error": "\(error)"])
                    waitForWake(timeout: JobLimits.errorBackoff)
                    continue
                }
            }
            waitForWake(timeout: context.configuration.pollInterval)
        }
        exited.signal()
    }

    private func signal() {
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) { wakeSignal.signal() }
    }

    private func waitForWake(timeout: Duration) {
        _ = wakeSignal.wait(timeout: .now() + .nanoseconds(Int(timeout.jobNanoseconds)))
        // Cleared before the loop reads the state again, so a wake-up after this point signals anew.
        wakePending.store(false, ordering: .sequentiallyConsistent)
    }

    /// `available` → `running` for up to `limit` jobs of this queue, in priority order, skipping rows
    /// other workers hold. `jobs_claim_idx` serves the inner SELECT as an index scan.
    static let claimSQL = claimSQL(after: "")

    /// `claimSQL` resuming after the claim cursor `($4, $5, $6)`: the index key (priority,
    /// scheduled_at in µs since the epoch, id) of the last job this producer claimed.
    ///
    /// Why a cursor: claimed rows leave dead entries at the front of `jobs_claim_idx` until VACUUM,
    /// and a scan from the start steps over all of them — under a backlog every claim gets slower
    /// with each job claimed since the last vacuum. While a backlog lasts the producer resumes after
    /// its last claimed key instead, and scans from the start again whenever a claim comes back short
    /// and at least every `JobLimits.claimRescanInterval`, so a job that sorts before the cursor (a
    /// higher priority, an older `scheduled_at`) waits at most that long.
    static let claimAfterSQL = claimSQL(
        after: """
              AND (priority, scheduled_at, id)
                  > ($4::smallint, 'epoch'::timestamptz + $5::bigint * interval '1 microsecond', $6::bigint)
            """)

    private static func claimSQL(after cursor: String) -> String {
        """
        WITH picked AS (
            SELECT id FROM jobs
            WHERE state = 'available' AND queue = $1 AND scheduled_at <= now()
        \(cursor)
            ORDER BY priority, scheduled_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j
        SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = $3
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.id, j.kind, j.args::text, j.attempt, j.max_attempts,
                  (extract(epoch FROM now() - j.scheduled_at) * 1000000)::bigint,
                  j.priority, (extract(epoch FROM j.scheduled_at) * 1000000)::bigint
        """
    }

    /// The index key of a claimed job, for `claimAfterSQL`.
    struct ClaimCursor: Comparable {
        let priority: Int16
        let scheduledAtMicros: Int64
        let id: Int64

        static func < (a: ClaimCursor, b: ClaimCursor) -> Bool {
            (a.priority, a.scheduledAtMicros, a.id) < (b.priority, b.scheduledAtMicros, b.id)
        }
    }

    private func claim(limit: Int) throws -> [(Job, JobKindHandler?)] {
        let now = ContinuousClock.now
        let cursor = state.withLock { s -> ClaimCursor? in
            guard let cursor = s.cursor, now < s.lastFullScan + JobLimits.claimRescanInterval else { return nil }
            return cursor
        }
        let rows = try context.pool.withConnection { connection in
            if let cursor {
                return try connection.query(
                    Self.claimAfterSQL,
                    [queue, limit, context.workerID, cursor.priority, cursor.scheduledAtMicros, cursor.id])
            }
            return try connection.query(Self.claimSQL, [queue, limit, context.workerID])
        }
        var claimed = [(Job, JobKindHandler?)]()
        claimed.reserveCapacity(rows.count)
        var last: ClaimCursor?
        for row in rows {
            let kind = try row.decode(1, as: String.self)
            let handler = context.registry.handler(for: kind)
            let timeout = handler?.timeout ?? context.configuration.defaultTimeout
            let job = Job(
                id: try row.decode(0), queue: queue, kind: kind, attempt: try row.decode(3),
                maxAttempts: try row.decode(4), argsJSON: try row.decode(2),
                control: JobControl(timeout: timeout, now: now))
            metrics.latency.recordMicroseconds(max(0, try row.decode(5, as: Int64.self)))
            let key = ClaimCursor(priority: try row.decode(6), scheduledAtMicros: try row.decode(7), id: job.id)
            if last.map({ $0 < key }) ?? true { last = key }
            claimed.append((job, handler))
        }
        state.withLock { s in
            if cursor == nil { s.lastFullScan = now }
            // A short batch means the rest of the index holds nothing claimable: start over next time.
            s.cursor = rows.count == limit ? last : nil
        }
        return claimed
    }

    // MARK: - Running

    private func dispatch(_ job: Job, _ handler: JobKindHandler?) {
        running.enter()
        threads.submit {
            self.execute(job, handler)
            self.running.leave()
        }
    }

    private func execute(_ job: Job, _ handler: JobKindHandler?) {
        let started = ContinuousClock.now
        let outcome: AttemptOutcome
        if let handler {
            do {
                try handler.run(job)
                outcome = .completed
            } catch let cancel as JobCancel {
                outcome = .cancelled(reason: cancel.reason)
            } catch let snooze as JobSnooze {
                outcome = .snoozed(snooze.delay)
            } catch {
                outcome = failure(job, String(describing: error))
            }
        } else {
            outcome = failure(job, "no handler for job kind \(job.kind) in this process")
        }
        let elapsed = ContinuousClock.now - started
        if job.control.decide(.finished) {
            record(job, outcome, elapsed: elapsed, timedOut: false)
        } else if job.control.status == .timedOut {
            context.logger.warning(
                "job handler returned after its timeout",
                metadata: ["job_id": "\(job.id)", "kind": "\(job.kind)", "elapsed": "\(elapsed)"])
        }
        finished(job.id)
    }

    private func failure(_ job: Job, _ message: String) -> AttemptOutcome {
        let delay = job.attempt >= job.maxAttempts ? nil : context.configuration.retryPolicy.delay(job.attempt)
        return .failed(error: message, retryDelay: delay)
    }

    private func record(_ job: Job, _ outcome: AttemptOutcome, elapsed: Duration?, timedOut: Bool) {
        context.completer.add(FinishedAttempt(id: job.id, attempt: job.attempt, outcome: outcome))
        let series = metrics.series(kind: job.kind)
        if let elapsed { series.duration.recordNanoseconds(Int64(clamping: elapsed.jobNanoseconds)) }
        switch outcome {
        case .completed: series.completed.increment()
        case .failed(_, let delay):
            (timedOut ? series.timedOut : series.failed).increment()
            if delay == nil { series.discarded.increment() }
            if !timedOut {
                context.logger.warning(
                    "job attempt failed",
                    metadata: [
                        "job_id": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)",
                        "discarded": "\(delay == nil)",
                    ])
            }
        case .cancelled: series.cancelled.increment()
        case .snoozed: series.snoozed.increment()
        }
    }

    private func finished(_ id: Int64) {
        let wake = state.withLock { s -> Bool in
            s.inFlight[id] = nil
            return s.backlog || s.stopping
        }
        if wake { signal() }
    }

    // MARK: - Timeouts and shutdown

    /// Records every in-flight attempt past its deadline as timed out (the handler keeps its slot
    /// until it returns).
    func sweepTimeouts(now: ContinuousClock.Instant) {
        let expired = state.withLock { s in
            s.inFlight.values.filter { $0.control.deadline <= now && $0.control.status == .running }
        }
        for job in expired where job.control.decide(.timedOut) {
            context.logger.warning(
                "job timed out", metadata: ["job_id": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)"])
            record(job, failure(job, "timed out after \(job.control.timeout)"), elapsed: nil, timedOut: true)
        }
    }

    /// Stops claiming and waits for the claim thread to exit (a claim in flight completes first).
    func stopClaiming() {
        let wasStarted = state.withLock { s -> Bool in
            s.stopping = true
            return s.started
        }
        signal()
        if wasStarted { exited.wait() }
        threads.stop()
    }

    /// Waits until every handler has returned or `deadline` passes; true when all returned.
    func waitForHandlers(until deadline: DispatchTime) -> Bool {
        running.wait(timeout: deadline) == .success
    }

    /// Takes back every attempt still undecided (its handler is still running) so its job can be
    /// released to another worker; those handlers' later results are ignored.
    func releaseUnfinished() -> [Job] {
        let candidates = state.withLock { Array($0.inFlight.values) }
        return candidates.filter { $0.control.decide(.released) }
    }
}
