import Logging
import Postgres

/// Makes due `scheduled` and `retryable` jobs `available` and NOTIFYs their queues. Runs in every
/// process with workers; `SKIP LOCKED` keeps concurrent stagers off each other's rows, and the claim
/// query then only ever looks at `available` rows (no scan past future jobs).
struct Stager: Sendable {
    let pool: PostgresPool
    let logger: Logger
    /// Called with each queue that received jobs (wakes local producers even without LISTEN).
    let staged: @Sendable (_ queue: String) -> Void

    static let sql = """
        WITH due AS (
            SELECT id FROM jobs
            WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now()
            ORDER BY scheduled_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ), moved AS (
            UPDATE jobs j SET state = 'available' FROM due WHERE j.id = due.id RETURNING j.queue
        )
        SELECT queue, count(*), pg_notify($2, queue) FROM moved GROUP BY queue
        """

    func run() {
        do {
            while true {
                let rows = try pool.query(Self.sql, [JobLimits.maintenanceBatch, JobLimits.notifyChannel])
                var total = 0
                for row in rows {
                    total += try row.decode(1, as: Int.self)
                    staged(try row.decode(0, as: String.self))
                }
                if total < JobLimits.maintenanceBatch { return }
            }
        } catch {
            logger.error("cannot stage due jobs", metadata: ["error": "\(error)"])
        }
    }
}
