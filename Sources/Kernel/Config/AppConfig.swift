import Foundation
import HTTP
import Jobs
import Logging

/// The process configuration, read once at start from the environment (DESIGN §8). Every field has a
/// production default; `AppConfig()` is that default set, which tests and `travelsense dev` start from.
public struct AppConfig: Sendable {
    public var host = "0.0.0.0"
    public var port = 8080
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .json
    public var accessLog = true
    public var ioQueues = ServerConfiguration().ioQueues
    public var handlerThreads = ServerConfiguration().handlerThreads
    public var handlerQueue = ServerConfiguration().handlerQueueLimit
    public var maxConnections = ServerConfiguration().maxConnections
    /// The default request-body limit of every route that does not set its own.
    public var maxBodyBytes = Router.defaultBodyLimit
    public var headerTimeout: Duration = .seconds(10)
    public var bodyTimeout: Duration = .seconds(30)
    public var idleTimeout: Duration = .seconds(90)
    public var gracePeriod: Duration = .seconds(25)
    /// `postgres://` or `postgresql://`; required by `serve`.
    public var databaseURL: String?
    /// Peers whose `X-Forwarded-For` is believed (nginx, the ingress); empty: the peer is the client.
    public var trustedProxies: [CIDR] = []
    /// Browser origins (`https://app.example.com`) allowed to call the API with credentials.
    public var corsOrigins: [String] = []
    public var databasePoolSize = 10
    public var databaseAcquireTimeout: Duration = .seconds(2)
    public var databaseStatementTimeout: Duration = .seconds(30)
    /// `redis://`; optional (Redis is never the source of truth). hiredis 0.14 has no TLS, so no `rediss://`.
    public var redisURL: String?
    public var redisPoolSize = 8
    /// Job worker concurrency in this process; 0 disables workers (`serve` then only enqueues).
    public var workers = 8
    public var jobsPollInterval: Duration = .seconds(1)
    public var jobsWorkerDeadAfter: Duration = .seconds(30)
    public var jobsPruneSchedule = "@hourly"
    /// Auth: keys, token lifetimes, mail and rate limits (see `AppConfig+Auth.swift`).
    public var auth = AuthSettings()
    public var trips = TripsSettings()
    public var export = ExportSettings()
    public var ai = AISettings()

    public init() {}

    /// Reads every variable of `AppConfig.variables`, then throws one `ConfigError` naming each bad
    /// one. `requireDatabase` is set by `serve`, which must not start without PostgreSQL, and
    /// `requireSecrets` by `serve` too: tokens signed with a throw-away key would die with the process.
    public static func load(
        from env: Environment, requireDatabase: Bool = false, requireSecrets: Bool = false
    ) throws(ConfigError) -> AppConfig {
        var env = env
        var c = AppConfig()
        c.host = env.string("HOST", default: c.host)
        if !isPlausibleHost(c.host) {
            env.problem("HOST", "must be an IP address or host name")
        }
        c.port = env.int("PORT", default: c.port, in: 1...65_535)
        c.logLevel = env.choice(
            "LOG_LEVEL", default: c.logLevel,
            options: [
                "trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning,
                "error": .error, "critical": .critical,
            ])
        c.logFormat = env.choice("LOG_FORMAT", default: c.logFormat, options: ["json": .json, "text": .text])
        c.accessLog = env.bool("ACCESS_LOG", default: c.accessLog)
        c.ioQueues = env.int("HTTP_IO_QUEUES", default: c.ioQueues, in: 1...256)
        c.handlerThreads = env.int("HTTP_HANDLER_THREADS", default: c.handlerThreads, in: 1...4096)
        c.handlerQueue = env.int("HTTP_HANDLER_QUEUE", default: c.handlerQueue, in: 0...1_000_000)
        c.maxConnections = env.int("HTTP_MAX_CONNECTIONS", default: c.maxConnections, in: 1...1_000_000)
        c.maxBodyBytes = env.int("HTTP_MAX_BODY_BYTES", default: c.maxBodyBytes, in: 0...(1 << 30))
        c.headerTimeout = env.seconds("HTTP_HEADER_TIMEOUT", default: c.headerTimeout, in: 0.001...3600)
        c.bodyTimeout = env.seconds("HTTP_BODY_TIMEOUT", default: c.bodyTimeout, in: 0.001...3600)
        c.idleTimeout = env.seconds("HTTP_IDLE_TIMEOUT", default: c.idleTimeout, in: 0.001...86_400)
        c.gracePeriod = env.seconds("SHUTDOWN_GRACE_PERIOD", default: c.gracePeriod, in: 0...3600)
        if let list = env.string("TRUSTED_PROXIES"), !list.isEmpty {
            let entries = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let parsed = entries.compactMap { CIDR($0) }
            if parsed.count == entries.count {
                c.trustedProxies = parsed
            } else {
                env.problem("TRUSTED_PROXIES", "must be a comma-separated list of IP addresses or CIDR ranges")
            }
        }
        if let list = env.string("CORS_ORIGINS"), !list.isEmpty {
            c.corsOrigins = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if !c.corsOrigins.allSatisfy(Self.isOrigin) {
                env.problem("CORS_ORIGINS", "must be a comma-separated list of origins like https://app.example.com")
            }
        }
        c.databaseURL = env.url("DATABASE_URL", schemes: ["postgres", "postgresql"], required: requireDatabase)
        c.databasePoolSize = env.int("DATABASE_POOL_SIZE", default: c.databasePoolSize, in: 1...1000)
        c.databaseAcquireTimeout = env.seconds(
            "DATABASE_ACQUIRE_TIMEOUT", default: c.databaseAcquireTimeout, in: 0.001...600)
        c.databaseStatementTimeout = env.seconds(
            "DATABASE_STATEMENT_TIMEOUT", default: c.databaseStatementTimeout, in: 0...86_400)
        c.redisURL = env.url("REDIS_URL", schemes: ["redis"])
        c.redisPoolSize = env.int("REDIS_POOL_SIZE", default: c.redisPoolSize, in: 1...1000)
        c.workers = env.int("WORKERS", default: c.workers, in: 0...1000)
        c.jobsPollInterval = env.seconds("JOBS_POLL_INTERVAL", default: c.jobsPollInterval, in: 0.01...3600)
        c.jobsWorkerDeadAfter = env.seconds("JOBS_WORKER_DEAD_AFTER", default: c.jobsWorkerDeadAfter, in: 1...86_400)
        c.jobsPruneSchedule = env.string("JOBS_PRUNE_SCHEDULE", default: c.jobsPruneSchedule)
        if (try? CronSchedule(c.jobsPruneSchedule)) == nil {
            env.problem("JOBS_PRUNE_SCHEDULE", "must be a 5-field cron expression, @hourly/@daily…, or @every <N>s|m|h")
        }
        c.auth = AuthSettings.load(from: &env, requireSecrets: requireSecrets)
        c.trips = TripsSettings.load(from: &env)
        c.export = ExportSettings.load(from: &env)
        c.ai = AISettings.load(from: &env)
        try env.validate()
        return c
    }

    /// The HTTP server's settings; limits not exposed as variables keep the server's defaults.
    public func serverConfiguration() -> ServerConfiguration {
        var s = ServerConfiguration()
        s.host = host
        s.port = port
        s.ioQueues = ioQueues
        s.handlerThreads = handlerThreads
        s.handlerQueueLimit = handlerQueue
        s.maxConnections = maxConnections
        s.headerTimeout = headerTimeout
        s.bodyTimeout = bodyTimeout
        s.idleTimeout = idleTimeout
        s.gracePeriod = gracePeriod
        return s
    }

    /// `scheme://host[:port]`, nothing after: what a browser sends in `Origin`.
    static func isOrigin(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.path.isEmpty, url.query == nil, url.fragment == nil,
            url.user == nil
        else { return false }
        return true
    }

    /// Catches typos early (a stray space or scheme) without resolving anything: the listener reports
    /// an address that does not exist when it binds.
    static func isPlausibleHost(_ host: String) -> Bool {
        !host.isEmpty && host.utf8.count <= 253
            && host.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
                    || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "_")
            }
    }
}
