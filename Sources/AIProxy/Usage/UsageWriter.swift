import Dispatch
import Foundation
import Kernel
import Logging
import Postgres
import Synchronization

/// Writes usage rows off the request path: `record` queues a row and returns at once; one serial
/// writer inserts everything queued in a single `INSERT … SELECT FROM unnest(…)` per batch, so a
/// burst of calls costs one round trip and one commit, not one each.
///
/// Why not an INSERT per request with `synchronous_commit = off`: that still costs a round trip on
/// the request path (the gateway's overhead target is under a millisecond at p50), and it may lose
/// rows that the client was already told about. Here commits stay durable (normal `synchronous_commit`),
/// batching amortises the flush, and nothing is lost while the process runs: a failed batch is
/// kept and retried. What is still queued when the process stops is written by `stop(grace:)`, and
/// readers that must see every row (budget checks, the usage routes, tests) call `flush()` first.
final class UsageWriter: Sendable {
    /// Rows per INSERT; the rest wait for the next batch.
    static let batchSize = 500
    /// Rows kept while PostgreSQL is unreachable; beyond this the oldest are dropped (and logged).
    static let maximumPending = 100_000
    static let retryDelay: DispatchTimeInterval = .seconds(1)

    private struct State {
        var pending: [UsageRecord] = []
        /// A drain is queued or running.
        var scheduled = false
        var dropped = 0
    }

    private let pool: PostgresPool
    private let logger: Logger
    // Rows handed over by request threads and taken by the writer queue.
    private let state = Mutex(State())
    /// Serial: one batch at a time, in order.
    private let queue = DispatchQueue(label: "travelsense.ai.usage")

    init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Queues `record` for insertion; never blocks on the database.
    func record(_ record: UsageRecord) {
        let schedule = state.withLock { s -> Bool in
            if s.pending.count >= Self.maximumPending {
                s.pending.removeFirst()
                s.dropped += 1
            }
            s.pending.append(record)
            if s.scheduled { return false }
            s.scheduled = true
            return true
        }
        if schedule { queue.async { self.drain(retryOnFailure: true) } }
    }

    /// Returns once every row recorded before the call is committed (or the database failed: then the
    /// rows stay queued for the retry, and false is returned).
    @discardableResult
    func flush() -> Bool {
        queue.sync { drain(retryOnFailure: false) }
    }

    /// Rows waiting to be written.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Writes batches until nothing is pending. Runs on `queue` only.
    @discardableResult
    private func drain(retryOnFailure: Bool) -> Bool {
        while true {
            let batch = state.withLock { s -> [UsageRecord] in
                let n = min(s.pending.count, Self.batchSize)
                if n == 0 { s.scheduled = false }
                return Array(s.pending.prefix(n))
            }
            if batch.isEmpty { return true }
            do {
                try insert(batch)
                state.withLock { $0.pending.removeFirst(min(batch.count, $0.pending.count)) }
            } catch {
                let dropped = state.withLock { s -> Int in
                    defer { s.dropped = 0 }
                    return s.dropped
                }
                logger.warning(
                    "usage rows not written yet; retrying",
                    metadata: [
                        "error": .string(String(describing: error)), "pending": .stringConvertible(pendingCount),
                        "dropped": .stringConvertible(dropped),
                    ])
                if retryOnFailure {
                    queue.asyncAfter(deadline: .now() + Self.retryDelay) { self.drain(retryOnFailure: true) }
                }
                return false
            }
        }
    }

    /// Inserts `batch`. A row whose user was deleted meanwhile (foreign key violation) is dropped: the
    /// batch is retried row by row so the others still land.
    private func insert(_ batch: [UsageRecord]) throws {
        do {
            try insertRows(batch)
        } catch let error as PostgresError where error.sqlState == Self.foreignKeyViolation {
            for row in batch {
                do {
                    try insertRows([row])
                } catch let error as PostgresError where error.sqlState == Self.foreignKeyViolation {
                    logger.info("usage row of a deleted account dropped", metadata: ["user_id": "\(row.caller.userID)"])
                }
            }
        }
    }

    static let foreignKeyViolation = "23503"

    private func insertRows(_ batch: [UsageRecord]) throws {
        try pool.execute(
            """
            INSERT INTO ai_usage (id, created_at, user_id, api_key_id, trip_id, provider, model, prompt_tokens,
                completion_tokens, cost_nanos, currency, latency_ms, cache_hit, status, stream, prompt, answer)
            SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[],
                $7::text[], $8::integer[], $9::integer[], $10::bigint[], $11::text[], $12::integer[],
                $13::boolean[], $14::text[], $15::boolean[], $16::jsonb[], $17::jsonb[])
            """,
            [
                batch.map(\.id), batch.map(\.createdAt), batch.map(\.caller.userID), batch.map(\.caller.apiKeyID),
                batch.map(\.caller.tripID), batch.map(\.provider), batch.map(\.model),
                batch.map(\.usage.promptTokens), batch.map(\.usage.completionTokens), batch.map(\.costNanos),
                batch.map(\.currency), batch.map(\.latencyMilliseconds), batch.map(\.cacheHit),
                batch.map(\.status.rawValue), batch.map(\.stream),
                batch.map { $0.prompt.map { String(decoding: $0.bytes, as: UTF8.self) } },
                batch.map { $0.answer.map { String(decoding: $0.bytes, as: UTF8.self) } },
            ])
    }
}

extension UsageWriter: BackgroundService {
    var name: String { "ai-usage-writer" }

    func start() throws {}

    /// Writes what is queued; false when the database refused it within `grace`.
    func stop(grace: Duration) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let written = Atomic(false)
        DispatchQueue.global().async {
            written.store(self.flush(), ordering: .relaxed)
            done.signal()
        }
        let (seconds, atto) = grace.components
        let timeout = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(atto / 1_000_000_000))
        return done.wait(timeout: timeout) == .success && written.load(ordering: .relaxed)
    }
}
