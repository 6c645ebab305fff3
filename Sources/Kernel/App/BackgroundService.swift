/// Something that runs beside the HTTP server for the life of the process — the job workers, the cron
/// scheduler — and must drain with it: `stop(grace:)` is called when SIGTERM arrives, at the same time
/// as the server drains, and shares the same grace period.
public protocol BackgroundService: Sendable {
    /// For log lines.
    var name: String { get }
    func start() throws
    /// Finishes or hands back in-flight work within `grace`; false when something had to be abandoned.
    func stop(grace: Duration) -> Bool
}
