import Dispatch
import HTTP
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The assembled service: configuration, logging, metrics, the operational routes, whatever routes the
/// modules register, and the HTTP server, with a `run()` that serves until SIGTERM/SIGINT and then
/// drains (DESIGN §2, §8).
///
/// Tests use `start()` (with `config.port = 0`), `port` and `stop()` instead of `run()`.
public final class Application: Sendable {
    public let config: AppConfig
    public let readiness: Readiness
    public let metrics: HTTPMetrics
    /// Every route served, as the router and `/openapi.json` see it.
    public let routes: [RouteInfo]
    /// The document `/openapi.json` serves.
    public let openAPIDocument: JSONValue
    private let server: HTTPServer
    private let background: [any BackgroundService]
    private let logger: Logger
    private let logSink: LogSink

    /// - Parameters:
    ///   - config: usually `AppConfig.load(from:)`; `serverConfiguration()` configures the listener.
    ///   - readiness: where modules have registered (or will register) their readiness checks.
    ///   - logSink: where log lines go (tests pass a capturing sink).
    ///   - background: started after the listener, drained with it (job workers, cron).
    ///   - middleware: global middleware the modules bring (authentication), innermost.
    ///   - register: adds the modules' routes.
    public init(
        config: AppConfig, readiness: Readiness = Readiness(), logSink: LogSink = .standardOutput,
        background: [any BackgroundService] = [], middleware: [any Middleware] = [],
        register: (inout Routes) -> Void = { _ in }
    ) {
        LoggingBootstrap.bootstrap(level: config.logLevel, format: config.logFormat, sink: logSink)
        // Kernel's own loggers bind to this application's sink directly rather than through the global
        // bootstrap, so applications started side by side (tests) never write into each other's sink.
        let makeLogger = { (label: String) in
            Logger(label: label) {
                LineLogHandler(label: $0, level: config.logLevel, format: config.logFormat, sink: logSink)
            }
        }
        let logger = makeLogger("travelsense")
        self.logger = logger
        self.logSink = logSink
        self.config = config
        self.readiness = readiness
        self.background = background
        let metrics = HTTPMetrics()
        self.metrics = metrics

        var routes = Routes(defaultBodyLimit: config.maxBodyBytes)
        routes.middleware =
            Self.globalMiddleware(config: config, metrics: metrics, makeLogger: makeLogger) + middleware
        // The server is built from the router, and /metrics reads the server: a weak box breaks the cycle.
        let serverRef = WeakServer()
        let openAPI = OpenAPIEndpoint()
        OperationalRoutes.register(
            into: &routes, readiness: readiness,
            metrics: MetricsEndpoint(metrics: metrics, stats: { serverRef.server?.stats }), openAPI: openAPI)
        register(&routes)
        let document = routes.openAPIDocument(
            title: "TravelSense API", version: BuildInfo.version,
            description: "Travel planning backend. Errors are RFC 9457 problem details.")
        openAPI.publish(document)
        self.openAPIDocument = document
        self.routes = routes.router.routes

        let server = HTTPServer(
            configuration: config.serverConfiguration(), router: routes.router,
            events: metrics.observe(Self.events(logger: logger, accessLog: config.accessLog)))
        serverRef.set(server)
        self.server = server
    }

    /// Outermost first: the request id exists before anything logs; the access log and metrics see the
    /// final status of error responses; compression applies to every body, problem details included.
    static func globalMiddleware(
        config: AppConfig, metrics: HTTPMetrics, makeLogger: (String) -> Logger
    ) -> [any Middleware] {
        var chain: [any Middleware] = [
            RequestIDMiddleware(), ClientAddressMiddleware(trusted: config.trustedProxies),
            CORSMiddleware(origins: config.corsOrigins),
        ]
        if config.accessLog { chain.append(AccessLogMiddleware(logger: makeLogger("travelsense.access"))) }
        chain.append(MetricsMiddleware(metrics: metrics))
        chain.append(ErrorMiddleware(logger: makeLogger("travelsense.errors")))
        chain.append(CompressionMiddleware())
        return chain
    }

    /// Parser rejections never reach middleware, so they get their own log line.
    private static func events(logger: Logger, accessLog: Bool) -> ServerEvents {
        var events = ServerEvents()
        if accessLog {
            events.protocolError = { error, remote in
                logger.info(
                    "protocol error",
                    metadata: [
                        "status": .number(error.status.code), "detail": .string(error.detail),
                        "remote": .string(remote),
                    ])
            }
        }
        events.loadShed = { logger.warning("load shed: handler pool full, answered 503") }
        events.connectionRefused = { logger.warning("connection refused: connection limit reached") }
        return events
    }

    /// Binds and starts serving, then starts the background services; returns once listening.
    public func start() throws {
        try server.start()
        logger.info(
            "listening",
            metadata: [
                "host": .string(config.host), "port": .number(server.port), "version": .string(BuildInfo.version),
            ])
        for service in background {
            try service.start()
            logger.info("started", metadata: ["service": .string(service.name)])
        }
    }

    /// The bound port (after `start`).
    public var port: Int { server.port }

    public var stats: ServerStats { server.stats }

    /// Graceful stop: `/readyz` turns 503, the server stops accepting and drains within the grace
    /// period, logs are flushed. True when every in-flight request finished in time.
    @discardableResult
    public func stop() -> Bool {
        readiness.startDraining()
        logger.info(
            "draining", metadata: ["grace_period_ms": .stringConvertible(LogNumber(milliseconds: config.gracePeriod))])
        // Background services drain in parallel with the server, inside the same grace period.
        let backgroundClean = Atomic(true)
        let group = DispatchGroup()
        for service in background {
            DispatchQueue.global().async(group: group) {
                if !service.stop(grace: self.config.gracePeriod) { backgroundClean.store(false, ordering: .relaxed) }
            }
        }
        let serverClean = server.shutdown()
        group.wait()
        let clean = serverClean && backgroundClean.load(ordering: .relaxed)
        if clean {
            logger.info("stopped")
        } else {
            logger.warning("stopped with requests or jobs still in flight after the grace period")
        }
        logSink.flush()
        LoggingBootstrap.flush()
        return clean
    }

    /// Serves until SIGTERM or SIGINT, then drains. Returns the process exit code: 0 after a clean
    /// drain, 1 when the listener could not start or the drain timed out.
    public func run() -> Int32 {
        // Log lines go to stdout with plain write(2): a closed stdout pipe must cost lines, not the process.
        signal(SIGPIPE, SIG_IGN)
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        do {
            try start()
        } catch {
            logger.critical("cannot start", metadata: ["error": .string(String(describing: error))])
            logSink.flush()
            return 1
        }
        let received = signals.wait()
        logger.info("shutting down", metadata: ["signal": .string(SignalWaiter.name(received))])
        return stop() ? 0 : 1
    }
}

/// A weak reference to the server that `/metrics` reads, set once the server exists.
private final class WeakServer: Sendable {
    private struct Ref {
        weak var server: HTTPServer?
    }

    // Set once after the server is built, read at every scrape.
    private let ref = Mutex(Ref())

    var server: HTTPServer? { ref.withLock { $0.server } }

    func set(_ server: HTTPServer) {
        ref.withLock { $0.server = server }
    }
}
