import Logging
import Postgres
import Redis

/// The shared clients handed to every module at start (DESIGN §1): the PostgreSQL pool, the optional
/// Redis pool, and the job queue. Modules keep a reference and never build clients of their own.
public final class Services: Sendable {
    public let config: AppConfig
    public let database: PostgresPool
    /// Nil when `REDIS_URL` is unset: callers use their PostgreSQL fallback (Redis only caches).
    public let redis: RedisPool?

    public init(config: AppConfig, database: PostgresPool, redis: RedisPool?) {
        self.config = config
        self.database = database
        self.redis = redis
    }

    /// Builds the pools from `config` (nothing connects until first use) and registers their readiness
    /// checks: PostgreSQL with `migrations` applied (critical), Redis (reported only).
    public static func connect(config: AppConfig, migrations: [Migration], readiness: Readiness) throws -> Services {
        let database = PostgresConfiguration.from(config, name: "main")
        readiness.register("postgres", critical: true, DependencyChecks.postgres(database, migrations: migrations))
        var redis: RedisPool?
        if let url = config.redisURL {
            let pool = try RedisPool(url: url)
            redis = pool
            readiness.register("redis", critical: false, DependencyChecks.redis(pool))
        }
        return Services(config: config, database: PostgresPool(configuration: database), redis: redis)
    }

    /// Closes the pools (after the server and workers have stopped).
    public func close() {
        database.close()
        redis?.close()
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
