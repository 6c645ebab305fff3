import ArgumentParser
import Kernel

/// `travelsense work`: the job workers and cron without the HTTP listener, for a worker Deployment
/// (the API replicas then run with `WORKERS=0`). Same environment as `serve`.
struct Work: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run job workers and cron only, no HTTP listener (DATABASE_URL is required).")

    func run() throws {
        let config = try CommandSupport.loadConfig(requireDatabase: true, requireSecrets: true)
        guard config.workers > 0 else {
            StandardError.write("travelsense work: WORKERS must be at least 1 (it is the number of job handlers)\n")
            throw ExitCode(2)
        }
        let code = try Stack.run(config: config, listen: false)
        if code != 0 { throw ExitCode(code) }
    }
}
