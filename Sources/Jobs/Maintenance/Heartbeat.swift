import Logging
import Postgres

/// Records that this process is alive in `job_workers`, so rescuers elsewhere can tell its running
/// jobs (heartbeat fresh) from a dead process's (heartbeat older than `workerDeadAfter`).
struct Heartbeat: Sendable {
    let pool: PostgresPool
    let workerID: String
    let host: String
    let pid: Int
    let queues: [String]
    let logger: Logger

    func beat() {
        do {
            try pool.execute(
                """
                INSERT INTO job_workers (id, host, pid, queues) VALUES ($1, $2, $3, $4::text[])
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
                """, [workerID, host, pid, queues])
        } catch {
            logger.error("cannot record the job worker heartbeat", metadata: ["error": "\(error)"])
        }
    }

    /// Removes the row on a clean stop (after this process's jobs were released).
    func remove() {
        do {
            try pool.execute("DELETE FROM job_workers WHERE id = $1", [workerID])
        } catch {
            logger.warning("cannot remove the job worker row", metadata: ["error": "\(error)"])
        }
    }
}
