/// How a `JobSystem` runs. Every default is a named constant in `JobDefaults`.
public struct JobConfiguration: Sendable {
    /// Queues this process works, with each queue's handler concurrency. Empty: no workers (the
    /// process still enqueues and, with `runsMaintenance`, takes part in cron leadership).
    public var queues: [String: Int]
    /// An idle queue claims at least this often (the fallback when a NOTIFY is missed).
    public var pollInterval: Duration
    /// How often due scheduled/retryable jobs are made available.
    public var stageInterval: Duration
    /// How often running jobs of dead workers are looked for.
    public var rescueInterval: Duration
    public var heartbeatInterval: Duration
    /// A worker silent this long is dead (keep it several heartbeats long).
    public var workerDeadAfter: Duration
    /// A running job older than this is rescued even from a live worker (longer than any timeout).
    public var rescueAfter: Duration
    /// A kind's attempt timeout unless it registered its own.
    public var defaultTimeout: Duration
    public var leaderLease: Duration
    public var depthSampleInterval: Duration
    /// Finished jobs are kept this long, then pruned.
    public var retention: Duration
    /// When the prune entry runs (cron syntax); nil disables pruning.
    public var pruneSchedule: String?
    /// Stage, rescue (with workers), and take part in leader election for cron and depth metrics.
    public var runsMaintenance: Bool
    public var retryPolicy: RetryPolicy
    /// This process's worker id; nil generates `host:pid:random`.
    public var workerID: String?

    public init(
        queues: [String: Int] = [JobDefaults.queue: JobDefaults.concurrency],
        pollInterval: Duration = JobDefaults.pollInterval,
        stageInterval: Duration = JobDefaults.stageInterval,
        rescueInterval: Duration = JobDefaults.rescueInterval,
        heartbeatInterval: Duration = JobDefaults.heartbeatInterval,
        workerDeadAfter: Duration = JobDefaults.workerDeadAfter,
        rescueAfter: Duration = JobDefaults.rescueAfter,
        defaultTimeout: Duration = JobDefaults.timeout,
        leaderLease: Duration = JobDefaults.leaderLease,
        depthSampleInterval: Duration = JobDefaults.depthSampleInterval,
        retention: Duration = JobDefaults.retention,
        pruneSchedule: String? = JobDefaults.pruneSchedule,
        runsMaintenance: Bool = true,
        retryPolicy: RetryPolicy = .standard,
        workerID: String? = nil
    ) {
        self.queues = queues
        self.pollInterval = pollInterval
        self.stageInterval = stageInterval
        self.rescueInterval = rescueInterval
        self.heartbeatInterval = heartbeatInterval
        self.workerDeadAfter = workerDeadAfter
        self.rescueAfter = rescueAfter
        self.defaultTimeout = defaultTimeout
        self.leaderLease = leaderLease
        self.depthSampleInterval = depthSampleInterval
        self.retention = retention
        self.pruneSchedule = pruneSchedule
        self.runsMaintenance = runsMaintenance
        self.retryPolicy = retryPolicy
        self.workerID = workerID
    }

    /// Problems that would make the system misbehave, one message each (empty when fine).
    public var problems: [String] {
        var out = [String]()
        for (queue, concurrency) in queues.sorted(by: { $0.key < $1.key }) {
            if !(1...JobLimits.maxNameLength).contains(queue.unicodeScalars.count) {
                out.append("queue name \"\(queue)\" must be 1 to \(JobLimits.maxNameLength) characters")
            }
            if concurrency < 1 { out.append("queue \(queue): concurrency must be at least 1") }
        }
        for (name, value) in [
            ("pollInterval", pollInterval), ("stageInterval", stageInterval), ("rescueInterval", rescueInterval),
            ("heartbeatInterval", heartbeatInterval), ("defaultTimeout", defaultTimeout),
            ("leaderLease", leaderLease), ("depthSampleInterval", depthSampleInterval), ("retention", retention),
        ] where value <= .zero {
            out.append("\(name) must be positive")
        }
        if workerDeadAfter <= heartbeatInterval * 2 {
            out.append("workerDeadAfter must exceed two heartbeat intervals")
        }
        if rescueAfter <= defaultTimeout { out.append("rescueAfter must exceed defaultTimeout") }
        return out
    }
}

/// A configuration the job system refuses to start with.
public struct JobConfigurationError: Error, CustomStringConvertible {
    public let problems: [String]

    public var description: String { "invalid job configuration: " + problems.joined(separator: "; ") }
}
