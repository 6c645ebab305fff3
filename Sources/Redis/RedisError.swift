/// Everything that can go wrong talking to Redis, split by what the caller should do about it.
///
/// Redis is a cache and rate-limit store, never the source of truth: on `isUnavailable` errors callers
/// fall back (read PostgreSQL, fail the rate limit open or closed) instead of failing the request.
/// Descriptions never contain a password, a key or a value.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be made, or it broke mid-command; a write's outcome is unknown.
    case connection(String)
    /// The server answered with an error reply, e.g. `WRONGTYPE Operation against a key …`.
    case server(String)
    /// The server did not answer within the command timeout; the connection was discarded.
    case timeout
    /// Every pooled connection stayed busy until the acquire timeout.
    case poolTimeout
    /// The pool was closed (the process is shutting down).
    case poolClosed
    /// A reply of a shape the command never returns (a bug, or not a Redis server).
    case unexpectedReply(String)
    /// The URL or settings cannot be used (bad syntax, `rediss://`, …).
    case configuration(String)
    /// A command the client refuses to send (no arguments at all).
    case invalidCommand(String)

    /// The first word of a server error (`WRONGTYPE`, `NOSCRIPT`, `ERR` …), nil for other errors.
    public var serverErrorCode: String? {
        guard case .server(let message) = self else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    /// True when Redis is unreachable, too slow or saturated: fall back, the call may succeed later.
    public var isUnavailable: Bool {
        switch self {
        case .connection, .timeout, .poolTimeout, .poolClosed: return true
        case .server, .unexpectedReply, .configuration, .invalidCommand: return false
        }
    }

    public var description: String {
        switch self {
        case .connection(let message): return "Redis connection error: \(message)"
        case .server(let message): return "Redis error reply: \(message)"
        case .timeout: return "Redis command timed out"
        case .poolTimeout: return "Redis pool: no connection available before the acquire timeout"
        case .poolClosed: return "Redis pool is closed"
        case .unexpectedReply(let message): return "unexpected Redis reply: \(message)"
        case .configuration(let message): return "invalid Redis configuration: \(message)"
        case .invalidCommand(let message): return "invalid Redis command: \(message)"
        }
    }
}
