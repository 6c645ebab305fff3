import Foundation
import Logging
import Postgres
import Synchronization

/// Enqueues cron entries' jobs while this process is the leader.
///
/// Each entry's slots are the times its schedule yields. A slot is enqueued at most once across all
/// replicas and leadership changes: in one transaction the leader advances the entry's `last_slot`
/// in `job_cron` (only forward) and inserts the job with unique key `cron:<name>:<slot>`; a leader
/// that lost a race, or a stale one after a flap, finds `last_slot` already there and inserts nothing.
///
/// Semantics: a new entry first fires at its next slot after it is first seen; a slot missed because
/// no leader was running is fired once, late, when a leader is back; older missed slots are skipped.
final class CronScheduler: Sendable {
    private let pool: PostgresPool
    private let logger: Logger
    /// Entries (added before start), and each entry's next slot while leading (nil: reload on
    /// becoming leader); `retryAt` pauses after a database error.
    private let state = Mutex(State())

    private struct State {
        var entries: [CronEntry] = []
        var next: [String: Date]?
        var retryAt: ContinuousClock.Instant?
    }

    init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    func add(_ entry: CronEntry) {
        state.withLock { s in
            s.entries.removeAll { $0.name == entry.name }
            s.entries.append(entry)
            s.next = nil
        }
    }

    var entries: [CronEntry] { state.withLock { $0.entries } }

    /// One scheduler step: forget the slots when not leading; otherwise fire what is due.
    func tick(isLeader: Bool, now: Date = Date()) {
        let (entries, known, retryAt) = state.withLock {
            s -> ([CronEntry], [String: Date]?, ContinuousClock.Instant?) in
            if !isLeader { s.next = nil }
            return (s.entries, s.next, s.retryAt)
        }
        guard isLeader, !entries.isEmpty else { return }
        if let retryAt, ContinuousClock.now < retryAt { return }
        do {
            var next = try known ?? loadNext(entries, now: now)
            for entry in entries {
                guard let slot = next[entry.name], slot <= now else { continue }
                try fire(entry, slot: slot)
                next[entry.name] = entry.schedule.next(after: max(slot, now))
            }
            state.withLock {
                $0.next = next
                $0.retryAt = nil
            }
        } catch {
            logger.error("cannot enqueue cron jobs", metadata: ["error": "\(error)"])
            state.withLock { $0.retryAt = ContinuousClock.now + JobLimits.errorBackoff }
        }
    }

    /// Each entry's next slot: after its recorded last slot, or after now for a new entry.
    private func loadNext(_ entries: [CronEntry], now: Date) throws -> [String: Date] {
        var last = [String: Date]()
        for row in try pool.query("SELECT name, last_slot FROM job_cron WHERE name = ANY($1)", [entries.map(\.name)]) {
            last[try row.decode(0, as: String.self)] = try row.decode(1, as: Date.self)
        }
        var next = [String: Date]()
        for entry in entries {
            next[entry.name] = entry.schedule.next(after: last[entry.name] ?? now)
        }
        return next
    }

    static let advanceSQL = """
        INSERT INTO job_cron (name, last_slot) VALUES ($1, $2)
        ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot, updated_at = now()
        WHERE job_cron.last_slot < excluded.last_slot
        RETURNING name
        """

    private func fire(_ entry: CronEntry, slot: Date) throws {
        var job = entry.job
        job.options.uniqueKey = "cron:\(entry.name):\(Int64(slot.timeIntervalSince1970))"
        let enqueued = try pool.transaction { connection -> Bool in
            guard try connection.query(Self.advanceSQL, [entry.name, slot]).count == 1 else { return false }
            _ = try JobClient.insert(job, on: connection)
            return true
        }
        if enqueued {
            logger.debug("cron entry enqueued", metadata: ["entry": "\(entry.name)", "slot": "\(slot)"])
        }
    }
}
