import Foundation
import Postgres

/// A job row as stored, for inspection (status endpoints, tests, operators).
public struct JobRecord: Sendable, Equatable {
    public var id: Int64
    public var state: JobState
    public var queue: String
    public var kind: String
    /// The arguments as JSON text (as PostgreSQL prints `jsonb`).
    public var argsJSON: String
    public var priority: Int16
    public var attempt: Int
    public var maxAttempts: Int
    public var scheduledAt: Date
    public var attemptedAt: Date?
    public var attemptedBy: String?
    /// One entry per failed attempt, oldest first.
    public var errors: [AttemptError]
    public var uniqueKey: String?
    public var createdAt: Date
    public var finalizedAt: Date?

    /// Why one attempt failed.
    public struct AttemptError: Sendable, Equatable, Codable {
        public var attempt: Int
        /// When the failure was recorded (UTC, second precision).
        public var at: Date
        public var error: String
    }

    static let selectSQL = """
        SELECT id, state, queue, kind, args::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
               attempted_by, errors::text, unique_key, created_at, finalized_at
        FROM jobs
        """

    init(row: PostgresRow) throws {
        id = try row.decode(0)
        let stateText = try row.decode(1, as: String.self)
        guard let state = JobState(rawValue: stateText) else {
            throw PostgresError.decoding(column: "state", message: "unknown job state \(stateText)")
        }
        self.state = state
        queue = try row.decode(2)
        kind = try row.decode(3)
        argsJSON = try row.decode(4)
        priority = try row.decode(5)
        attempt = try row.decode(6)
        maxAttempts = try row.decode(7)
        scheduledAt = try row.decode(8)
        attemptedAt = try row.decode(9)
        attemptedBy = try row.decode(10)
        let errorsJSON = try row.decode(11, as: String.self)
        do {
            errors = try JobJSON.decoder.decode([AttemptError].self, from: Data(errorsJSON.utf8))
        } catch {
            throw PostgresError.decoding(column: "errors", message: "is not a list of attempt errors")
        }
        uniqueKey = try row.decode(12)
        createdAt = try row.decode(13)
        finalizedAt = try row.decode(14)
    }
}

/// The JSON conventions of job arguments: those `PostgresJSON` writes (snake_case keys, ISO 8601).
enum JobJSON {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
