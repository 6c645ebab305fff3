/// Every default and limit of the job system, in one place (River style: nothing magic inline).
///
/// `JobDefaults` are what `JobConfiguration` and `EnqueueOptions` start from and may be overridden;
/// `JobLimits` are internal sizes and cadences that callers never need to tune.
public enum JobDefaults {
    /// The queue a job goes to when the caller names none.
    public static let queue = "default"
    /// Handler slots per queue when the configuration names none.
    public static let concurrency = 10
    /// Attempts before a failing job is discarded (with `attempt^4` s backoff: about 3 weeks in all).
    public static let maxAttempts = 25
    /// Lower runs first.
    public static let priority: Int16 = 1
    /// How long a handler may run before its attempt is recorded as timed out.
    public static let timeout: Duration = .seconds(60)
    /// An idle producer claims at least this often even without a notification.
    public static let pollInterval: Duration = .seconds(1)
    /// How often due `scheduled`/`retryable` jobs are made `available`.
    public static let stageInterval: Duration = .seconds(1)
    /// How often the rescuer looks for jobs of dead workers.
    public static let rescueInterval: Duration = .seconds(5)
    /// How often a process records that it is alive in `job_workers`.
    public static let heartbeatInterval: Duration = .seconds(5)
    /// A worker whose heartbeat is older than this is dead: its running jobs are rescued.
    public static let workerDeadAfter: Duration = .seconds(30)
    /// A running job older than this is rescued even if its worker still heartbeats (a backstop; must
    /// exceed every kind's timeout).
    public static let rescueAfter: Duration = .seconds(3600)
    /// How long an elected leader holds the lease without renewing (renewed every third of it).
    public static let leaderLease: Duration = .seconds(15)
    /// How often the leader samples queue depth into the `jobs_queue_depth` gauge.
    public static let depthSampleInterval: Duration = .seconds(10)
    /// Finalized jobs older than this are deleted by the built-in prune cron entry.
    public static let retention: Duration = .seconds(7 * 86_400)
    /// When the built-in prune entry runs.
    public static let pruneSchedule = "@hourly"
}

enum JobLimits {
    /// The one NOTIFY channel; the payload is the queue name.
    static let notifyChannel = "jobs_available"
    /// The lease row the cron leader holds.
    static let leaderName = "jobs"
    /// Most jobs one claim statement takes (it never takes more than the free slots either).
    static let maxClaimBatch = 500
    /// While a backlog lasts, claims resume after the last claimed key; at least this often they scan
    /// the queue from the start again (the longest a higher-priority or older job waits behind it).
    static let claimRescanInterval: Duration = .milliseconds(100)
    /// The completer writes outcomes after at most this delay, so each statement carries many.
    static let completerFlushDelay: Duration = .milliseconds(2)
    /// ...or at once when this many are waiting.
    static let completerMaxBatch = 2_000
    /// Rows moved per staging or rescue statement (repeated while a batch comes back full).
    static let maintenanceBatch = 1_000
    /// Rows deleted per prune statement (repeated while a batch comes back full).
    static let pruneBatch = 10_000
    /// How often running handlers are checked against their deadlines.
    static let timeoutSweepInterval: Duration = .milliseconds(100)
    /// How often the leader looks for due cron slots.
    static let cronTickInterval: Duration = .milliseconds(200)
    /// Pause after a failed database call in a loop before trying again.
    static let errorBackoff: Duration = .seconds(1)
    /// Longest error text kept per attempt in `errors`.
    static let maxErrorLength = 2_000
    /// Worker rows with no heartbeat for this long are deleted by prune.
    static let workerRowRetention: Duration = .seconds(86_400)
    /// Cron schedules must fire within this many years (rejects `0 0 30 2 *`).
    static let cronSearchYears = 8
    /// The longest `@every` period.
    static let maxEverySeconds: Int64 = 366 * 86_400
    /// Longest queue and kind name, in characters (the table's CHECKs say the same).
    static let maxNameLength = 128
}

extension Duration {
    /// The duration in seconds as a `Double` (for SQL intervals and Dispatch timeouts).
    var jobSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Nanoseconds, clamped at zero.
    var jobNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
