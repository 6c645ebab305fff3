import AIProxy
import ArgumentParser
import Auth
import Export
import Kernel
import Logging
import Trips

/// Wiring shared by `serve`, `dev` and `work`: the data-layer clients, the modules' routes, job kinds
/// and cron entries, run until SIGTERM/SIGINT, then drained and closed.
enum Stack {
    /// Serves HTTP with the job workers beside it, or (`listen: false`) runs the workers with only the
    /// operational routes (`/healthz`, `/readyz`, `/metrics`) on `PORT`, for probes and scraping.
    /// Returns the process exit code.
    static func run(config: AppConfig, listen: Bool) throws -> Int32 {
        // Before any client exists: loggers and metrics bind to their backends when created.
        LoggingBootstrap.bootstrap(level: config.logLevel, format: config.logFormat)
        let readiness = Readiness()
        let services: Services
        do {
            services = try Services(
                config: config, migrations: AllMigrations.list, readiness: readiness,
                logger: Logger(label: "travelsense.jobs"))
        } catch {
            StandardError.write("travelsense: \(error)\n")
            throw ExitCode(2)
        }
        defer { services.close() }
        let auth: AuthModule
        let trips: TripsModule
        let export: ExportModule
        let ai: AIProxyModule
        do {
            auth = try AuthModule(services: services, mailer: try Mailers.make(config))
            trips = try TripsModule(services: services, accounts: auth.service)
            export = try ExportModule(services: services, trips: trips.service, idempotency: trips.idempotency)
            ai = try AIProxyModule(services: services, trips: trips.service, idempotency: trips.idempotency)
        } catch {
            StandardError.write("travelsense: \(error)\n")
            throw ExitCode(2)
        }
        guard listen else {
            // A worker still answers its probes and is scraped: only the operational routes, no API.
            let code = Application(config: config, readiness: readiness, background: [services.jobs] + ai.background)
                .run()
            ai.flushUsage()  // rows the last jobs recorded while draining
            return code
        }
        let app = Application(
            config: config, readiness: readiness, background: [services.jobs] + ai.background,
            middleware: [auth.middleware]
        ) { routes in
            auth.register(&routes)
            trips.register(&routes)
            export.register(&routes)
            ai.register(&routes)
        }
        let code = app.run()
        ai.flushUsage()  // rows the last requests recorded while the server drained
        return code
    }
}
