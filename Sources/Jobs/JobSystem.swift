import Dispatch
import Foundation
import Logging
import Postgres
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The job system of one process: workers for the configured queues, the maintenance loops (stager,
/// rescuer, heartbeat, timeout sweep) and, on the elected leader, cron and queue-depth sampling.
///
/// ```swift
/// let jobs = JobSystem(pool: pool, listenerConfiguration: pool.configuration, logger: logger)
/// jobs.register(kind: "export_trip", args: ExportArgs.self) { args, job in … }
/// try jobs.addCron(name: "nightly_digest", schedule: "0 3 * * *", kind: "digest")
/// try jobs.start()
/// …
/// jobs.stop(grace: .seconds(25))
/// ```
///
/// Wake-ups: one LISTEN connection on `jobs_available` (payload: queue) wakes the queue's claimer
/// the moment a job is committed; `pollInterval` is the fallback (and a reconnect triggers a poll).
/// Connections: each queue's claimer, the completer and each maintenance loop borrow a pooled
/// connection per statement; size the pool for them plus what handlers use.
public final class JobSystem: Sendable {
    /// For logs (`BackgroundService`).
    public let name = "jobs"
    /// Enqueue and inspect jobs (works whether or not this process runs workers).
    public let client: JobClient
    /// This process's id in `jobs.attempted_by`, `job_workers` and `job_leader`.
    public let workerID: String
    public let configuration: JobConfiguration

    private let pool: PostgresPool
    private let logger: Logger
    private let registry = JobRegistry()
    private let completer: Completer
    private let producers: [String: QueueProducer]
    private let listener: PostgresListener?
    private let leader: LeaderElector
    private let cron: CronScheduler
    private let heartbeat: Heartbeat
    private let tasks: Tasks
    /// Not started → started → stopped.
    private let lifecycle = Mutex((started: false, stopped: false))

    /// The loops, made at init and started by `start`.
    private struct Tasks: Sendable {
        let heartbeat: PeriodicTask
        let sweep: PeriodicTask
        let stager: PeriodicTask
        let rescuer: PeriodicTask
        let leader: PeriodicTask
    }

    /// - Parameters:
    ///   - pool: for the machinery (claims, outcomes, staging, rescue, cron). It may commit
    ///     asynchronously (`synchronousCommit = false`): a claim or outcome a PostgreSQL crash forgets
    ///     only makes its job run again, which at-least-once delivery allows anyway; on a 2-core box
    ///     with real fsync that doubles throughput.
    ///   - enqueuePool: where `client` enqueues; it must commit durably, since a lost enqueue is a lost
    ///     job. Defaults to `pool`.
    ///   - listenerConfiguration: where to LISTEN (usually `pool.configuration`; a dedicated
    ///     connection is opened); nil relies on polling alone.
    public init(
        pool: PostgresPool, enqueuePool: PostgresPool? = nil, listenerConfiguration: PostgresConfiguration?,
        logger: Logger, configuration: JobConfiguration = JobConfiguration()
    ) {
        let workerID = configuration.workerID ?? Self.makeWorkerID()
        self.pool = pool
        self.logger = logger
        self.configuration = configuration
        self.workerID = workerID
        client = JobClient(pool: enqueuePool ?? pool)
        let completer = Completer(pool: pool, logger: logger)
        self.completer = completer
        let context = WorkerContext(
            pool: pool, registry: registry, completer: completer, logger: logger, workerID: workerID,
            configuration: configuration)
        var producers = [String: QueueProducer]()
        for (queue, concurrency) in configuration.queues {
            producers[queue] = QueueProducer(queue: queue, concurrency: concurrency, context: context)
        }
        self.producers = producers
        leader = LeaderElector(
            pool: pool, name: JobLimits.leaderName, holder: workerID, lease: configuration.leaderLease, logger: logger)
        cron = CronScheduler(pool: pool, logger: logger)
        heartbeat = Heartbeat(
            pool: pool, workerID: workerID, host: Self.hostName(), pid: Int(getpid()),
            queues: configuration.queues.keys.sorted(), logger: logger)
        if let listenerConfiguration {
            listener = PostgresListener(configuration: listenerConfiguration) { [producers] in
                for producer in producers.values { producer.wake() }
            }
        } else {
            listener = nil
        }

        let stager = Stager(pool: pool, logger: logger) { [producers] queue in producers[queue]?.wake() }
        let metrics = SystemMetrics()
        let rescuer = Rescuer(
            pool: pool, logger: logger, workerDeadAfter: configuration.workerDeadAfter,
            rescueAfter: configuration.rescueAfter, metrics: metrics)
        let heartbeat = self.heartbeat
        let duties = LeaderDuties(
            elector: leader, cron: cron, depth: DepthSampler(pool: pool, logger: logger, metrics: metrics),
            lease: configuration.leaderLease, sampleEvery: configuration.depthSampleInterval)
        tasks = Tasks(
            heartbeat: PeriodicTask(name: "jobs-heartbeat", interval: configuration.heartbeatInterval) {
                heartbeat.beat()
            },
            sweep: PeriodicTask(name: "jobs-timeouts", interval: JobLimits.timeoutSweepInterval) { [producers] in
                let now = ContinuousClock.now
                for producer in producers.values { producer.sweepTimeouts(now: now) }
            },
            stager: PeriodicTask(name: "jobs-stager", interval: configuration.stageInterval) { stager.run() },
            rescuer: PeriodicTask(name: "jobs-rescuer", interval: configuration.rescueInterval) { rescuer.run() },
            leader: PeriodicTask(name: "jobs-leader", interval: JobLimits.cronTickInterval) { duties.step() })
        registerBuiltins()
    }

    // MARK: - Registration

    /// Runs `handler` for jobs of `kind`; an attempt may take `timeout` (default: the configuration's).
    /// Register before `start`. Throw to fail the attempt (it is retried with backoff), `JobCancel`
    /// to give up, `JobSnooze` to come back later without spending an attempt.
    public func register(kind: String, timeout: Duration? = nil, handler: @escaping @Sendable (Job) throws -> Void) {
        registry.register(kind, JobKindHandler(timeout: timeout ?? configuration.defaultTimeout, run: handler))
    }

    /// `register` with the arguments decoded as `Args` (a decoding failure fails the attempt).
    public func register<Args: Decodable & Sendable>(
        kind: String, args: Args.Type, timeout: Duration? = nil,
        handler: @escaping @Sendable (Args, Job) throws -> Void
    ) {
        register(kind: kind, timeout: timeout) { job in try handler(try job.decodeArgs(Args.self), job) }
    }

    /// Enqueues `kind` with `args` at each slot of `schedule` (see `CronSchedule`), from the leader
    /// only. Add before `start`; the same name replaces an entry.
    public func addCron(
        name: String, schedule: String, kind: String, args: some Encodable = NoArgs(),
        options: EnqueueOptions = EnqueueOptions()
    ) throws {
        let insert = try JobInsert(kind: kind, args: args, options: options)
        try JobClient.validate(insert)
        cron.add(CronEntry(name: name, schedule: try CronSchedule(schedule), job: insert))
    }

    /// The cron entries, including the built-in prune entry once started.
    public var cronEntries: [CronEntry] { cron.entries }

    /// Whether this process currently holds the leader lease.
    public var isLeader: Bool { leader.isLeader }

    /// Whether the LISTEN connection is up (false when polling only).
    public var isListening: Bool { listener?.isConnected ?? false }

    private func registerBuiltins() {
        register(kind: BuiltinKinds.noop) { job in try NoopArgs.run(job) }
        let pruner = Pruner(pool: pool)
        register(kind: BuiltinKinds.prune) { job in try pruner.run(job) }
    }

    // MARK: - Lifecycle

    /// Starts the workers and loops. Throws `JobConfigurationError` for a bad configuration, before
    /// anything runs. Calling it again does nothing.
    public func start() throws {
        let problems = configuration.problems
        guard problems.isEmpty else { throw JobConfigurationError(problems: problems) }
        if let schedule = configuration.pruneSchedule, configuration.runsMaintenance {
            try addCron(
                name: BuiltinKinds.pruneEntry, schedule: schedule, kind: BuiltinKinds.prune,
                args: PruneArgs(retentionSeconds: configuration.retention.jobSeconds))
        }
        let first = lifecycle.withLock { l -> Bool in
            defer { l.started = true }
            return !l.started && !l.stopped
        }
        guard first else { return }
        let hasWorkers = !producers.isEmpty
        if hasWorkers {
            // Recorded before the first claim, so no rescuer mistakes this process's jobs for orphans.
            heartbeat.beat()
            tasks.heartbeat.start()
            tasks.sweep.start()
        }
        if let listener {
            listener.listen(JobLimits.notifyChannel) { [producers] queue in producers[queue]?.wake() }
            listener.start()
        }
        for producer in producers.values { producer.start() }
        if configuration.runsMaintenance {
            if hasWorkers {
                tasks.stager.start()
                tasks.rescuer.start()
            }
            tasks.leader.start()
        }
        logger.info(
            "job system started",
            metadata: [
                "worker": "\(workerID)",
                "queues": "\(configuration.queues.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" })",
            ])
    }

    /// Stops claiming; waits up to `grace` for running handlers; records every finished outcome; puts
    /// attempts still running back to `available` (their attempt not counted, so another worker runs
    /// them at once) and ignores those handlers' later results. Returns true when every handler
    /// finished within the grace period. The leader lease is released first, so cron moves on.
    @discardableResult
    public func stop(grace: Duration) -> Bool {
        let deadline = DispatchTime.now() + .nanoseconds(Int(grace.jobNanoseconds))
        let wasRunning = lifecycle.withLock { l -> Bool in
            defer { l.stopped = true }
            return l.started && !l.stopped
        }
        guard wasRunning else { return true }
        tasks.leader.stop()
        leader.resign()
        for producer in producers.values { producer.stopClaiming() }
        var clean = true
        for producer in producers.values where !producer.waitForHandlers(until: deadline) { clean = false }
        let unfinished = producers.values.flatMap { $0.releaseUnfinished() }
        tasks.sweep.stop()
        completer.close()
        if !unfinished.isEmpty { release(unfinished) }
        tasks.stager.stop()
        tasks.rescuer.stop()
        tasks.heartbeat.stop()
        if !producers.isEmpty { heartbeat.remove() }
        listener?.stop()
        logger.info("job system stopped", metadata: ["released": "\(unfinished.count)", "clean": "\(clean)"])
        return clean
    }

    static let releaseSQL = """
        WITH released AS (
            UPDATE jobs j SET state = 'available', attempt = j.attempt - 1
            FROM unnest($1::bigint[], $2::integer[]) AS d(id, attempt)
            WHERE j.id = d.id AND j.attempt = d.attempt AND j.state = 'running' AND j.attempted_by = $3
            RETURNING j.queue
        )
        SELECT queue, pg_notify($4, queue) FROM released GROUP BY queue
        """

    private func release(_ jobs: [Job]) {
        do {
            try pool.query(
                Self.releaseSQL,
                [jobs.map(\.id), jobs.map(\.attempt), workerID, JobLimits.notifyChannel])
            logger.warning("released unfinished jobs at shutdown", metadata: ["jobs": "\(jobs.map(\.id))"])
        } catch {
            logger.error(
                "cannot release unfinished jobs; the rescuer will return them",
                metadata: ["jobs": "\(jobs.map(\.id))", "error": "\(error)"])
        }
    }

    // MARK: - Identity

    private static func makeWorkerID() -> String {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(hostName()):\(getpid()):\(suffix)"
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
