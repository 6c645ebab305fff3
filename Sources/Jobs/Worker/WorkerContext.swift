import Logging
import Postgres

/// What every queue's producer shares within one `JobSystem`.
struct WorkerContext: Sendable {
    let pool: PostgresPool
    let registry: JobRegistry
    let completer: Completer
    let logger: Logger
    /// This process's id in `attempted_by` and `job_workers`.
    let workerID: String
    let configuration: JobConfiguration
}
