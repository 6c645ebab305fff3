import Logging
import Postgres

/// Takes back `running` jobs whose attempt can no longer finish: their worker stopped heartbeating
/// for `workerDeadAfter` (killed, crashed, partitioned), or — a backstop for a live but stuck worker —
/// they have been running for `rescueAfter`. Such a job becomes `retryable` and due at once (the
/// stager makes it available; detecting the death already took `workerDeadAfter`, which also slows a
/// job that crashes its process), or `discarded` when it has used its last attempt. The attempt counts:
/// a job that kills every process it runs on stops after `max_attempts`.
///
/// Runs in every process with workers, `SKIP LOCKED` so rescuers never contend. A late outcome from a
/// worker that was wrongly presumed dead changes nothing (the completer matches `running` rows only).
struct Rescuer: Sendable {
    let pool: PostgresPool
    let logger: Logger
    let workerDeadAfter: Duration
    let rescueAfter: Duration
    let metrics: SystemMetrics

    static let sql = """
        WITH lost AS (
            SELECT j.id,
                   CASE WHEN j.attempted_at < now() - $2::float8 * interval '1 second'
                        THEN 'rescued: running longer than ' || $2::float8::text || ' s'
                        ELSE 'rescued: worker ' || coalesce(j.attempted_by, '?') || ' stopped heartbeating' END
                       AS reason
            FROM jobs j LEFT JOIN job_workers w ON w.id = j.attempted_by
            WHERE j.state = 'running'
              AND (coalesce(w.heartbeat_at, j.attempted_at) < now() - $1::float8 * interval '1 second'
                   OR j.attempted_at < now() - $2::float8 * interval '1 second')
            LIMIT $3::integer
            FOR UPDATE OF j SKIP LOCKED
        )
        UPDATE jobs j SET
            state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'retryable' END,
            scheduled_at = CASE WHEN j.attempt >= j.max_attempts THEN j.scheduled_at ELSE now() END,
            finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
            errors = j.errors || jsonb_build_object('attempt', j.attempt,
                'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'error', lost.reason)
        FROM lost
        WHERE j.id = lost.id
        RETURNING j.id, j.kind, j.attempted_by, j.state
        """

    func run() {
        do {
            while true {
                let rows = try pool.query(
                    Self.sql, [workerDeadAfter.jobSeconds, rescueAfter.jobSeconds, JobLimits.maintenanceBatch])
                for row in rows {
                    metrics.rescued.increment()
                    let id = try row.decode(0, as: Int64.self)
                    let kind = try row.decode(1, as: String.self)
                    let worker = try row.decode(2, as: String?.self) ?? "?"
                    let state = try row.decode(3, as: String.self)
                    logger.warning(
                        "rescued a job from a dead or stuck worker",
                        metadata: ["job_id": "\(id)", "kind": "\(kind)", "worker": "\(worker)", "state": "\(state)"])
                }
                if rows.count < JobLimits.maintenanceBatch { return }
            }
        } catch {
            logger.error("cannot rescue jobs", metadata: ["error": "\(error)"])
        }
    }
}
