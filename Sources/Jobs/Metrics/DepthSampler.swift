import Logging
import Postgres

/// Counts unfinished jobs by queue and state into `jobs_queue_depth`. One statement, each arm served
/// by the partial index of its state (no scan of finished rows). Run by the leader only, so the
/// series come from one replica.
struct DepthSampler: Sendable {
    let pool: PostgresPool
    let logger: Logger
    let metrics: SystemMetrics

    static let sql = """
        SELECT queue, 'available', count(*) FROM jobs WHERE state = 'available' GROUP BY queue
        UNION ALL
        SELECT queue, state, count(*) FROM jobs WHERE state IN ('scheduled', 'retryable') GROUP BY queue, state
        UNION ALL
        SELECT queue, 'running', count(*) FROM jobs WHERE state = 'running' GROUP BY queue
        """

    /// Sets every depth series this process exported to 0 (it no longer samples).
    func clear() { metrics.recordDepth([:]) }

    func sample() {
        do {
            var counts = [SystemMetrics.DepthKey: Int]()
            for row in try pool.query(Self.sql) {
                counts[.init(queue: try row.decode(0), state: try row.decode(1))] = try row.decode(2, as: Int.self)
            }
            metrics.recordDepth(counts)
        } catch {
            logger.error("cannot sample job queue depth", metadata: ["error": "\(error)"])
        }
    }
}
