import Jobs
import Logging
import Postgres
import Redis

/// The shared clients handed to every module at start (DESIGN §1): the PostgreSQL pool, the optional
/// Redis pool, and the job system. Modules keep a reference and never build clients of their own.
public final class Services: Sendable {
    public let config: AppConfig
    /// For request handlers and job handlers (`DATABASE_POOL_SIZE` connections).
    public let database: PostgresPool
    /// Nil when `REDIS_URL` is unset: callers use their PostgreSQL fallback (Redis only caches).
    public let redis: RedisPool?
    /// Enqueue with `jobs.client` (also inside a transaction); modules register their kinds and cron
    /// entries on it before start. Its workers run only when `WORKERS` > 0.
    public let jobs: JobSystem
    /// What modules do when an account is deleted (Auth runs them in its deletion transaction).
    public let accountDeletion = AccountDeletionHooks()
    /// What modules do when an account is created (Auth runs them in its registration transaction).
    public let accountRegistration = AccountRegistrationHooks()
    /// Each module's section of a user's data export (GDPR access).
    public let accountData = AccountDataSources()
    /// Who owns an API key (Auth answers).
    public let apiKeyOwners = APIKeyOwners()
    /// The job system's own connections (claims, completions, maintenance), so a burst of requests
    /// cannot starve the queue, nor a backlog of jobs the requests.
    private let jobsPool: PostgresPool

    /// Connections the job machinery keeps besides those its handlers borrow from `database`.
    static let jobsPoolSize = 4

    /// Builds the pools from `config` (nothing connects until first use), the job system, and the
    /// readiness checks: PostgreSQL with `migrations` applied (critical), Redis (reported only).
    public init(config: AppConfig, migrations: [Migration], readiness: Readiness, logger: Logger) throws {
        // Clients create their metrics at init: the Prometheus backend must be in place first.
        _ = MetricsBootstrap.registry
        self.config = config
        let database = PostgresConfiguration.from(config, name: "main")
        readiness.register("postgres", critical: true, DependencyChecks.postgres(database, migrations: migrations))
        self.database = PostgresPool(configuration: database)
        if let url = config.redisURL {
            var redisConfiguration = try RedisConfiguration(url: url)
            redisConfiguration.poolSize = config.redisPoolSize
            redisConfiguration.name = "main"
            let pool = RedisPool(configuration: redisConfiguration)
            redis = pool
            readiness.register("redis", critical: false, DependencyChecks.redis(pool))
        } else {
            redis = nil
        }
        var jobsDatabase = PostgresConfiguration.from(config, name: "jobs", size: Self.jobsPoolSize)
        // Claims and outcomes may commit asynchronously (see `JobSystem.init`); enqueues use the durable pool.
        jobsDatabase.synchronousCommit = false
        jobsPool = PostgresPool(configuration: jobsDatabase)
        jobs = JobSystem(
            pool: jobsPool, enqueuePool: self.database,
            listenerConfiguration: config.workers > 0 ? jobsDatabase : nil, logger: logger,
            configuration: JobConfiguration.from(config))
        try IdempotencyMiddleware.schedulePruning(jobs: jobs, pool: self.database)
    }

    /// Closes the pools (after the server and workers have stopped).
    public func close() {
        database.close()
        jobsPool.close()
        redis?.close()
    }
}

extension JobSystem: BackgroundService {}

extension JobConfiguration {
    /// `WORKERS` handler threads on the default queue (none: this process only enqueues, and leaves
    /// staging, rescue and cron to the processes that work); liveness timings from
    /// `JOBS_WORKER_DEAD_AFTER` (heartbeats six times per period, rescue checks as often).
    static func from(_ config: AppConfig) -> JobConfiguration {
        var c = JobConfiguration()
        c.queues = config.workers > 0 ? [JobDefaults.queue: config.workers] : [:]
        c.runsMaintenance = config.workers > 0
        c.pollInterval = config.jobsPollInterval
        c.workerDeadAfter = config.jobsWorkerDeadAfter
        c.heartbeatInterval = config.jobsWorkerDeadAfter / 6
        c.rescueInterval = min(JobDefaults.rescueInterval, config.jobsWorkerDeadAfter / 6)
        c.pruneSchedule = config.jobsPruneSchedule
        return c
    }
}

extension PostgresConfiguration {
    /// The pool settings `config` asks for.
    public static func from(_ config: AppConfig, name: String, size: Int? = nil) -> PostgresConfiguration {
        var c = PostgresConfiguration(connection: config.databaseURL ?? "")
        c.name = name
        c.maxConnections = size ?? config.databasePoolSize
        c.acquireTimeout = config.databaseAcquireTimeout
        let (seconds, atto) = config.databaseStatementTimeout.components
        c.statementTimeoutMilliseconds = Int(seconds) * 1000 + Int(atto / 1_000_000_000_000_000)
        return c
    }
}
