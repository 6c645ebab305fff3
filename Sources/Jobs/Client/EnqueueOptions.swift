import Foundation
import Postgres

/// Where and when a job runs, and how often it may be tried.
public struct EnqueueOptions: Sendable, Equatable {
    public var queue: String
    /// Lower runs first within a queue; ties run in `scheduled_at` order.
    public var priority: Int16
    /// Not before this time; nil or past means now. A future time enqueues the job `scheduled`.
    public var scheduledAt: Date?
    public var maxAttempts: Int
    /// At most one unfinished job holds a key (see `JobSchema`); nil means no uniqueness.
    public var uniqueKey: String?

    public init(
        queue: String = JobDefaults.queue, priority: Int16 = JobDefaults.priority, scheduledAt: Date? = nil,
        maxAttempts: Int = JobDefaults.maxAttempts, uniqueKey: String? = nil
    ) {
        self.queue = queue
        self.priority = priority
        self.scheduledAt = scheduledAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }
}

/// One job to insert: a kind, its arguments already encoded as JSON, and options. Build many of these
/// for `JobClient.enqueueMany` (arguments are encoded once, here, not in the batch statement).
public struct JobInsert: Sendable, Equatable {
    public var kind: String
    /// A JSON value (normally an object) as text.
    public var argsJSON: String
    public var options: EnqueueOptions

    /// Encodes `args` like the rest of the API's JSON (snake_case keys, ISO 8601 dates).
    public init(kind: String, args: some Encodable, options: EnqueueOptions = EnqueueOptions()) throws {
        self.kind = kind
        argsJSON = try PostgresJSON(args).text
        self.options = options
    }

    /// Arguments that are already JSON text (`"{}"` for none).
    public init(kind: String, argsJSON: String = "{}", options: EnqueueOptions = EnqueueOptions()) {
        self.kind = kind
        self.argsJSON = argsJSON
        self.options = options
    }
}

/// What an enqueue did.
public enum EnqueueResult: Sendable, Equatable {
    /// A new job with this id.
    case inserted(id: Int64)
    /// The unique key is held by the unfinished job `existingID` (nil if it finished in the meantime).
    case duplicate(existingID: Int64?)

    /// The new job's id, or the id of the job that holds the unique key.
    public var id: Int64? {
        switch self {
        case .inserted(let id): return id
        case .duplicate(let id): return id
        }
    }
}

/// Arguments for kinds that take none; encodes as `{}`.
public struct NoArgs: Codable, Sendable, Equatable {
    public init() {}
}
