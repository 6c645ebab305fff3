/// One documented environment variable.
public struct ConfigVariable: Sendable, Equatable {
    public let name: String
    /// The default as an operator would write it ("" when unset by default).
    public let defaultValue: String
    public let description: String
}

extension AppConfig {
    /// Every variable `load` reads, in the order of the README's configuration table. Each also accepts
    /// `NAME_FILE` (the value is read from that file).
    public static let variables: [ConfigVariable] = [
        .init(
            name: "HOST", defaultValue: "0.0.0.0", description: "Address to listen on (`dev` always uses 127.0.0.1)."),
        .init(name: "PORT", defaultValue: "8080", description: "TCP port, 1–65535."),
        .init(
            name: "LOG_LEVEL", defaultValue: "info",
            description: "trace, debug, info, notice, warning, error or critical."),
        .init(name: "LOG_FORMAT", defaultValue: "json", description: "json (one object per line) or text."),
        .init(
            name: "ACCESS_LOG", defaultValue: "true",
            description: "One log line per request; false turns the access log off."),
        .init(
            name: "HTTP_IO_QUEUES", defaultValue: "number of cores",
            description: "Serial I/O queues connections are spread over."),
        .init(
            name: "HTTP_HANDLER_THREADS", defaultValue: "max(8, 4 × cores)",
            description: "Threads running request handlers (they may block on PostgreSQL/Redis)."),
        .init(
            name: "HTTP_HANDLER_QUEUE", defaultValue: "1024",
            description: "Requests that may wait for a handler thread; beyond it the server answers 503."),
        .init(
            name: "HTTP_MAX_CONNECTIONS", defaultValue: "20000",
            description: "Open connections; beyond it new ones get 503 and are closed."),
        .init(
            name: "HTTP_MAX_BODY_BYTES", defaultValue: "1048576",
            description: "Default request-body limit in bytes (413 above it); routes may set their own."),
        .init(
            name: "HTTP_HEADER_TIMEOUT", defaultValue: "10",
            description: "Seconds (decimals allowed) for a whole request head to arrive (408 after)."),
        .init(
            name: "HTTP_BODY_TIMEOUT", defaultValue: "30",
            description: "Seconds for a whole request body to arrive (408 after)."),
        .init(
            name: "HTTP_IDLE_TIMEOUT", defaultValue: "90",
            description: "Seconds an idle keep-alive connection stays open; keep above nginx's 75."),
        .init(
            name: "SHUTDOWN_GRACE_PERIOD", defaultValue: "25",
            description: "Seconds to finish in-flight requests after SIGTERM/SIGINT."),
        .init(
            name: "TRUSTED_PROXIES", defaultValue: "",
            description: "Comma-separated IPs/CIDRs of proxies whose X-Forwarded-For gives the client address."),
        .init(
            name: "CORS_ORIGINS", defaultValue: "",
            description: "Comma-separated browser origins (https://app.example.com) allowed, with credentials."),
        .init(
            name: "DATABASE_URL", defaultValue: "",
            description: "postgres:// or postgresql:// URL; required by `serve`."),
        .init(
            name: "DATABASE_POOL_SIZE", defaultValue: "10",
            description: "PostgreSQL connections for request and job handlers (the queue keeps 4 more of its own)."),
        .init(
            name: "DATABASE_ACQUIRE_TIMEOUT", defaultValue: "2",
            description: "Seconds a request waits for a free connection before 503."),
        .init(
            name: "DATABASE_STATEMENT_TIMEOUT", defaultValue: "30",
            description: "Seconds any one statement may run (PostgreSQL statement_timeout; 0 = none)."),
        .init(
            name: "REDIS_URL", defaultValue: "",
            description: "redis://[:password@]host[:port][/db]; optional (cache and rate limits only)."),
        .init(name: "REDIS_POOL_SIZE", defaultValue: "8", description: "Redis connections this process may open."),
        .init(
            name: "WORKERS", defaultValue: "8",
            description: "Job workers run by `serve` (0 = none: run `travelsense work` elsewhere)."),
        .init(
            name: "JOBS_POLL_INTERVAL", defaultValue: "1",
            description: "Seconds between claims of an idle queue when no NOTIFY arrives (the fallback)."),
        .init(
            name: "JOBS_WORKER_DEAD_AFTER", defaultValue: "30",
            description: "Seconds without a heartbeat before a worker's running jobs are rescued."),
        .init(
            name: "JOBS_PRUNE_SCHEDULE", defaultValue: "@hourly",
            description: "When finished jobs older than 7 days are deleted (5-field cron, @hourly, @every 30s…)."),
    ]

    /// The variables as a Markdown table, for the README.
    public static func markdownTable() -> String {
        var lines = ["| Variable | Default | Description |", "|---|---|---|"]
        for v in variables {
            lines.append("| `\(v.name)` | \(v.defaultValue.isEmpty ? "—" : "`\(v.defaultValue)`") | \(v.description) |")
        }
        return lines.joined(separator: "\n")
    }
}
