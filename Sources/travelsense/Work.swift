import ArgumentParser
import Kernel

/// `travelsense work`: the job workers and cron without the API, for a worker Deployment (the API
/// replicas then run with `WORKERS=0`). It still listens on `PORT` for `/healthz`, `/readyz` and
/// `/metrics`: the orchestrator probes it and Prometheus scrapes the queue depth the cron leader
/// samples. Same environment as `serve`.
struct Work: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run job workers and cron; serve only /healthz, /readyz and /metrics (DATABASE_URL is required).")

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
