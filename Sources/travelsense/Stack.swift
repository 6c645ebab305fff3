import ArgumentParser
import Kernel

/// Wiring shared by `serve`, `dev` and `work`: the data-layer clients, the modules' routes and
/// background services, run until SIGTERM/SIGINT, then drained and closed.
enum Stack {
    /// Serves (or, with `listen: false`, only runs the background services) and returns the exit code.
    static func run(config: AppConfig, listen: Bool) throws -> Int32 {
        let readiness = Readiness()
        let services: Services
        do {
            services = try Services.connect(config: config, migrations: AllMigrations.list, readiness: readiness)
        } catch {
            StandardError.write("travelsense: \(error)\n")
            throw ExitCode(2)
        }
        defer { services.close() }
        let app = Application(config: config, readiness: readiness) { _ in }
        return app.run()
    }
}
