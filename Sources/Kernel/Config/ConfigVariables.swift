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
        .init(
            name: "JWT_SIGNING_KEYS", defaultValue: "",
            description:
                "Ed25519 access-token keys as kid:secret[,kid:secret] (secret ≥ 32 chars); the first signs, all verify. Required by `serve`."
        ),
        .init(
            name: "FIELD_ENCRYPTION_KEYS", defaultValue: "",
            description:
                "AES-256-GCM keys for sensitive fields as id:secret[,…] (id 1–255); the first encrypts. Required by `serve`."
        ),
        .init(name: "ACCESS_TOKEN_TTL", defaultValue: "900", description: "Seconds an access token lives (60–3600)."),
        .init(
            name: "REFRESH_TOKEN_TTL", defaultValue: "2592000",
            description: "Seconds a refresh token lives unused (each use rotates it)."),
        .init(
            name: "PUBLIC_BASE_URL", defaultValue: "http://127.0.0.1:8080",
            description: "Base of links in e-mails (password reset, e-mail verification)."),
        .init(
            name: "MAIL_FROM", defaultValue: "TravelSense <no-reply@travelsense.invalid>",
            description: "Sender of the e-mails the service sends."),
        .init(
            name: "SMTP_URL", defaultValue: "",
            description: "smtp://user:pass@host:587 (STARTTLS required) or smtps://…:465; `?ca_file=` for a private CA."
        ),
        .init(
            name: "MAIL_DIR", defaultValue: "",
            description: "Without SMTP_URL, mail is written here as .eml files (`dev` uses <data-dir>/mail)."),
        .init(
            name: "PASSWORD_SCRYPT_LOG_N", defaultValue: "15",
            description: "scrypt cost 2^N for new hashes (10–20); raising it rehashes at the next login."),
        .init(
            name: "PASSWORD_HASH_CONCURRENCY", defaultValue: "cores − 1 (≥ 1)",
            description: "Password hashes computed at once; more callers queue briefly, then get 503."),
        .init(
            name: "LOGIN_LOCKOUT_THRESHOLD", defaultValue: "5",
            description:
                "Failed sign-ins for one address before it locks: 1 min, doubling per further failure, at most 1 h."),
        .init(
            name: "RATE_LIMIT_REGISTER", defaultValue: "10/h",
            description: "Registrations per client IP (count/s|m|h|d)."),
        .init(name: "RATE_LIMIT_LOGIN", defaultValue: "10/m", description: "Sign-in attempts per client IP."),
        .init(name: "RATE_LIMIT_FORGOT", defaultValue: "5/h", description: "Password-reset requests per client IP."),
        .init(name: "RATE_LIMIT_REFRESH", defaultValue: "60/m", description: "Token refreshes per client IP."),
        .init(
            name: "RATE_LIMIT_API", defaultValue: "1200/m",
            description: "Authenticated requests per user or API key, across replicas (Redis)."),
        .init(
            name: "PLACES_PROVIDER", defaultValue: "gazetteer",
            description: "Place search: `gazetteer` (offline GeoNames world cities, shipped) or `nominatim`."),
        .init(
            name: "NOMINATIM_URL", defaultValue: "https://nominatim.openstreetmap.org",
            description: "Base URL of the Nominatim API when PLACES_PROVIDER=nominatim."),
        .init(
            name: "GAZETTEER_FILE", defaultValue: "",
            description: "The gazetteer TSV; by default the one installed beside the executable or in the source tree."),
        .init(
            name: "WEATHER_URL", defaultValue: "https://api.open-meteo.com",
            description: "Base URL of an Open-Meteo-compatible forecast API; `off` disables weather (503)."),
        .init(
            name: "PROVIDER_TIMEOUT", defaultValue: "5",
            description: "Seconds for a whole call to the place or weather provider."),
        .init(
            name: "EXPORT_STORE", defaultValue: "local (s3 when S3_BUCKET is set)",
            description: "Where exports are stored: `local` (a directory) or `s3` (any S3-compatible store)."),
        .init(
            name: "EXPORT_DIR", defaultValue: "exports",
            description: "The local store's directory (`dev`: inside its data directory)."),
        .init(
            name: "EXPORT_RETENTION_DAYS", defaultValue: "7",
            description: "Days before a stored export and its file are deleted (daily cleanup)."),
        .init(
            name: "EXPORT_DOWNLOAD_TTL", defaultValue: "900",
            description: "Seconds a `download_url` keeps working once handed out."),
        .init(
            name: "S3_ENDPOINT", defaultValue: "",
            description:
                "The S3 API's base URL, e.g. `https://s3.eu-central-1.amazonaws.com` or a SeaweedFS/MinIO server."),
        .init(name: "S3_REGION", defaultValue: "us-east-1", description: "The region signed into requests (SigV4)."),
        .init(name: "S3_BUCKET", defaultValue: "", description: "The bucket exports go to; setting it selects S3."),
        .init(name: "S3_ACCESS_KEY_ID", defaultValue: "", description: "S3 credentials: the access key id."),
        .init(name: "S3_SECRET_ACCESS_KEY", defaultValue: "", description: "S3 credentials: the secret key."),
        .init(
            name: "S3_ADDRESSING", defaultValue: "virtual",
            description: "`virtual` (bucket in the host name, AWS) or `path` (bucket in the path, MinIO/SeaweedFS)."),
        .init(
            name: "AI_PROVIDERS", defaultValue: "",
            description: "LLM providers in fallback order, each configured by `AI_<NAME>_*` (see the AI section above)."
        ),
        .init(
            name: "AI_FALLBACK_MODELS", defaultValue: "",
            description: "Models tried in order when every provider of the requested model failed."),
        .init(name: "AI_TIMEOUT", defaultValue: "60", description: "Seconds for a whole non-streamed provider call."),
        .init(
            name: "AI_STREAM_TIMEOUT", defaultValue: "300", description: "Seconds for a whole streamed provider call."),
        .init(
            name: "AI_MAX_RETRIES", defaultValue: "2",
            description: "Retries of a provider on 429, 5xx and connection errors (backoff with jitter, `Retry-After`)."
        ),
        .init(name: "AI_RETRY_BASE_DELAY", defaultValue: "0.25", description: "Seconds of the first retry backoff."),
        .init(
            name: "AI_BREAKER_FAILURES", defaultValue: "5",
            description: "Consecutive failures that open a provider's circuit breaker."),
        .init(
            name: "AI_BREAKER_COOLDOWN", defaultValue: "30",
            description: "Seconds an open circuit refuses calls before one trial call."),
        .init(
            name: "AI_CACHE_TTL", defaultValue: "3600",
            description: "Seconds a temperature-0 answer stays in the Redis cache; 0 turns caching off."),
        .init(
            name: "AI_REDACT", defaultValue: "email,phone,card,passport",
            description: "What is removed from prompts before they leave, or `none`."),
        .init(
            name: "AI_STORE_PROMPTS", defaultValue: "false",
            description: "Keep prompts and answers with the usage rows (otherwise only counts and costs)."),
        .init(name: "AI_CURRENCY", defaultValue: "USD", description: "ISO 4217 currency of the providers' prices."),
        .init(
            name: "AI_PLANNER_MODEL", defaultValue: "first provider's first model",
            description: "Model asked by itinerary generation and suggestions."),
        .init(
            name: "AI_PLANNER_REPAIRS", defaultValue: "2",
            description:
                "Times a model's invalid plan is sent back with its violations before the built-in planner takes over."),
        .init(name: "AI_CA_FILE", defaultValue: "", description: "PEM file of extra CAs trusted for provider TLS."),
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
