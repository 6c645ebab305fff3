import Postgres

#if canImport(Glibc)
    import Glibc
#endif

/// The kinds every `JobSystem` registers itself.
public enum BuiltinKinds {
    /// Does nothing (or sleeps `sleep_ms`): smoke tests, benchmarks and multi-process tests enqueue it.
    public static let noop = "noop"
    /// Deletes finalized jobs older than its `retention_seconds` argument (the prune cron entry).
    public static let prune = "jobs_prune"
    /// The name of the built-in cron entry that enqueues `prune`.
    public static let pruneEntry = "jobs_prune"
}

/// The noop job's optional arguments: `{"sleep_ms": 5}` makes it take some time, so a test can kill a
/// process while jobs are running.
struct NoopArgs: Decodable, Sendable {
    var sleepMs: Int?

    static func run(_ job: Job) throws {
        // The common `{}` skips JSON decoding: the no-op benchmark measures the queue, not Foundation.
        guard job.argsJSON.utf8.count > 2, let ms = try job.decodeArgs(NoopArgs.self).sleepMs, ms > 0 else { return }
        usleep(UInt32(min(ms, 60_000)) * 1000)
    }
}

/// The prune job's arguments.
struct PruneArgs: Codable, Sendable {
    var retentionSeconds: Double
}

/// Deletes finished jobs past the retention in batches (short transactions, no long lock), and worker
/// rows of processes gone for a day. Stops early when its attempt times out or the process stops.
struct Pruner: Sendable {
    let pool: PostgresPool

    static let sql = """
        DELETE FROM jobs WHERE id IN (
            SELECT id FROM jobs WHERE finalized_at < now() - $1::float8 * interval '1 second' LIMIT $2::integer
        )
        """

    func run(_ job: Job) throws {
        let args = try job.decodeArgs(PruneArgs.self)
        while !job.isCancelled {
            let deleted = try pool.execute(Self.sql, [args.retentionSeconds, JobLimits.pruneBatch])
            if deleted < JobLimits.pruneBatch { break }
        }
        try pool.execute(
            "DELETE FROM job_workers WHERE heartbeat_at < now() - $1::float8 * interval '1 second'",
            [JobLimits.workerRowRetention.jobSeconds])
    }
}
