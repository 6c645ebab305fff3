/// Everything that can go wrong talking to PostgreSQL, split by what the caller should do about it:
/// a server error carries its SQLSTATE (map it to an API error in one place, Kernel), connection
/// trouble means "retry later" (503), and a decoding error is a bug in our SQL or types.
public enum PostgresError: Error, Sendable, CustomStringConvertible {
    /// The server answered the statement with an error (constraint, syntax, serialization failure…).
    case server(ServerError)
    /// No connection could be made, or it broke mid-statement; the statement's outcome is unknown.
    case connection(String)
    /// Every pooled connection stayed busy until the acquire timeout.
    case poolTimeout
    /// The pool was closed (the process is shutting down).
    case poolClosed
    /// A column could not be turned into the requested Swift type.
    case decoding(column: String, message: String)
    /// A parameter PostgreSQL cannot represent (text containing NUL), rejected before sending.
    case invalidParameter(index: Int, message: String)

    /// The fields of an `ErrorResponse` that callers act on. `message`/`detail` may contain row
    /// values: log them, never send them to clients.
    public struct ServerError: Sendable, Equatable {
        public var sqlState: String
        public var message: String
        public var detail: String?
        public var constraint: String?
        public var table: String?
        public var column: String?

        public init(
            sqlState: String, message: String, detail: String? = nil, constraint: String? = nil,
            table: String? = nil, column: String? = nil
        ) {
            self.sqlState = sqlState
            self.message = message
            self.detail = detail
            self.constraint = constraint
            self.table = table
            self.column = column
        }
    }

    /// The five-character SQLSTATE of a server error, nil for anything else.
    public var sqlState: String? {
        if case .server(let e) = self { return e.sqlState }
        return nil
    }

    /// True when the database is unreachable or went away: the request may succeed later (503).
    public var isUnavailable: Bool {
        switch self {
        case .connection, .poolTimeout, .poolClosed: return true
        case .server(let e):
            // Class 08 (connection exception), 57P01..57P03 (admin/crash shutdown, cannot connect now),
            // 53300 (too many connections).
            return e.sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(e.sqlState)
        case .decoding, .invalidParameter: return false
        }
    }

    /// Serialization failure or deadlock: the whole transaction may be retried.
    public var isTransient: Bool { sqlState == SQLState.serializationFailure || sqlState == SQLState.deadlockDetected }

    public var description: String {
        switch self {
        case .server(let e): return "PostgreSQL error \(e.sqlState): \(e.message)"
        case .connection(let m): return "PostgreSQL connection error: \(m)"
        case .poolTimeout: return "PostgreSQL pool: no connection available before the acquire timeout"
        case .poolClosed: return "PostgreSQL pool is closed"
        case .decoding(let column, let message): return "cannot decode column \(column): \(message)"
        case .invalidParameter(let index, let message): return "parameter $\(index): \(message)"
        }
    }
}

/// SQLSTATE codes the code base reacts to by name (PostgreSQL manual, appendix A).
public enum SQLState {
    public static let uniqueViolation = "23505"
    public static let foreignKeyViolation = "23503"
    public static let notNullViolation = "23502"
    public static let checkViolation = "23514"
    public static let exclusionViolation = "23P01"
    public static let invalidTextRepresentation = "22P02"
    public static let serializationFailure = "40001"
    public static let deadlockDetected = "40P01"
    public static let queryCanceled = "57014"
    public static let lockNotAvailable = "55P03"
    /// "cached plan must not change result type": a prepared statement outlived a schema change.
    public static let featureNotSupported = "0A000"
}
