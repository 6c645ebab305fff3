import Foundation
import Postgres

/// Enqueues and inspects jobs. Cheap to copy; needs no running workers (an HTTP handler enqueues, the
/// workers in this or another replica run the job).
///
/// Every enqueue also NOTIFYs the queue's channel for jobs that are due now, so idle workers wake at
/// once. On a caller's connection inside a transaction, the insert and the notification both take
/// effect at COMMIT — a trip and its export job commit together or not at all.
public struct JobClient: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    // MARK: - One job

    /// Enqueues one job on a pooled connection (its own transaction).
    @discardableResult
    public func enqueue(
        _ kind: String, args: some Encodable = NoArgs(), options: EnqueueOptions = EnqueueOptions()
    ) throws -> EnqueueResult {
        let insert = try JobInsert(kind: kind, args: args, options: options)
        return try pool.withConnection { try Self.insert(insert, on: $0) }
    }

    /// Enqueues one job on `connection`, typically inside the caller's `transaction { … }`.
    @discardableResult
    public func enqueue(
        on connection: PostgresConnection, _ kind: String, args: some Encodable = NoArgs(),
        options: EnqueueOptions = EnqueueOptions()
    ) throws -> EnqueueResult {
        try Self.insert(try JobInsert(kind: kind, args: args, options: options), on: connection)
    }

    /// Enqueues a prepared `JobInsert` on `connection` (or a pooled one when nil).
    @discardableResult
    public func enqueue(_ insert: JobInsert, on connection: PostgresConnection? = nil) throws -> EnqueueResult {
        if let connection { return try Self.insert(insert, on: connection) }
        return try pool.withConnection { try Self.insert(insert, on: $0) }
    }

    // MARK: - Many jobs

    /// Enqueues `jobs` with one statement (one round trip however many) on a pooled connection and
    /// returns how many were inserted (fewer when unique keys collided). Keep batches to a few
    /// thousand: the whole batch travels as one set of array parameters.
    @discardableResult
    public func enqueueMany(_ jobs: [JobInsert]) throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try pool.withConnection { try Self.insertMany(jobs, on: $0) }
    }

    /// `enqueueMany` on `connection`, typically inside the caller's transaction.
    @discardableResult
    public func enqueueMany(_ jobs: [JobInsert], on connection: PostgresConnection) throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try Self.insertMany(jobs, on: connection)
    }

    // MARK: - Inspecting and cancelling

    /// The job with `id`, nil when there is none (never enqueued, or pruned).
    public func job(id: Int64) throws -> JobRecord? {
        guard let row = try pool.query(JobRecord.selectSQL + " WHERE id = $1", [id]).first else { return nil }
        return try JobRecord(row: row)
    }

    /// Cancels a job that has not started (available, scheduled or retryable). Returns false when it
    /// is running or already final; a running job finishes its attempt.
    @discardableResult
    public func cancel(id: Int64) throws -> Bool {
        try pool.execute(
            """
            UPDATE jobs SET state = 'cancelled', finalized_at = now()
            WHERE id = $1 AND state IN ('available', 'scheduled', 'retryable')
            """, [id]) == 1
    }

    // MARK: - SQL

    static func insert(_ job: JobInsert, on connection: PostgresConnection) throws -> EnqueueResult {
        try validate(job)
        let o = job.options
        let rows = try connection.query(
            insertOneSQL,
            [
                o.queue, job.kind, job.argsJSON, o.priority, o.maxAttempts, o.scheduledAt, o.uniqueKey,
                JobLimits.notifyChannel,
            ])
        if let row = rows.first { return .inserted(id: try row.decode(0, as: Int64.self)) }
        // Nothing inserted: only a unique-key collision does that.
        let holder = try connection.query(
            "SELECT id FROM jobs WHERE unique_key = $1 AND state IN ('available', 'scheduled', 'running', 'retryable')",
            [o.uniqueKey])
        return .duplicate(existingID: try holder.first?.decode(0, as: Int64.self))
    }

    static func insertMany(_ jobs: [JobInsert], on connection: PostgresConnection) throws -> Int {
        var queues = [String]()
        var kinds = [String]()
        var args = [String]()
        var priorities = [Int16]()
        var maxAttempts = [Int]()
        var scheduled = [Date?]()
        var keys = [String?]()
        queues.reserveCapacity(jobs.count)
        kinds.reserveCapacity(jobs.count)
        args.reserveCapacity(jobs.count)
        priorities.reserveCapacity(jobs.count)
        maxAttempts.reserveCapacity(jobs.count)
        scheduled.reserveCapacity(jobs.count)
        keys.reserveCapacity(jobs.count)
        for job in jobs {
            try validate(job)
            queues.append(job.options.queue)
            kinds.append(job.kind)
            args.append(job.argsJSON)
            priorities.append(job.options.priority)
            maxAttempts.append(job.options.maxAttempts)
            scheduled.append(job.options.scheduledAt)
            keys.append(job.options.uniqueKey)
        }
        let rows = try connection.query(
            insertManySQL,
            [queues, kinds, args, priorities, maxAttempts, scheduled, keys, JobLimits.notifyChannel])
        return try rows.first?.decode(0, as: Int.self) ?? 0
    }

    /// Rejects what the table's CHECKs would reject, with a message that names the field.
    static func validate(_ job: JobInsert) throws {
        func check(_ ok: Bool, _ field: String, _ message: String) throws {
            if !ok { throw JobClientError.invalid(field: field, message: message) }
        }
        try check(
            (1...JobLimits.maxNameLength).contains(job.kind.unicodeScalars.count), "kind",
            "must be 1 to \(JobLimits.maxNameLength) characters")
        try check(
            (1...JobLimits.maxNameLength).contains(job.options.queue.unicodeScalars.count), "queue",
            "must be 1 to \(JobLimits.maxNameLength) characters")
        try check(job.options.maxAttempts >= 1, "max_attempts", "must be at least 1")
    }

    /// Inserts one job; returns its id and NOTIFYs when it is due now. Returns no row on a unique-key
    /// collision (`ON CONFLICT … DO NOTHING`).
    static let insertOneSQL = """
        WITH inserted AS (
            INSERT INTO jobs (queue, kind, args, priority, max_attempts, scheduled_at, state, unique_key)
            VALUES ($1, $2, $3::jsonb, $4::smallint, $5::integer, coalesce($6::timestamptz, now()),
                    CASE WHEN $6::timestamptz > now() THEN 'scheduled' ELSE 'available' END, $7)
            ON CONFLICT \(JobSchema.uniqueConflictTarget) DO NOTHING
            RETURNING id, queue, state
        )
        SELECT id, CASE WHEN state = 'available' THEN pg_notify($8, queue) END FROM inserted
        """

    /// Inserts a batch from parallel arrays; returns the count inserted and NOTIFYs each queue that
    /// got a job due now, once.
    static let insertManySQL = """
        WITH inserted AS (
            INSERT INTO jobs (queue, kind, args, priority, max_attempts, scheduled_at, state, unique_key)
            SELECT i.queue, i.kind, i.args, i.priority, i.max_attempts, coalesce(i.scheduled_at, now()),
                   CASE WHEN i.scheduled_at > now() THEN 'scheduled' ELSE 'available' END, i.unique_key
            FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::smallint[], $5::integer[], $6::timestamptz[],
                        $7::text[]) AS i(queue, kind, args, priority, max_attempts, scheduled_at, unique_key)
            ON CONFLICT \(JobSchema.uniqueConflictTarget) DO NOTHING
            RETURNING queue, state
        )
        SELECT count(*),
               (SELECT count(pg_notify($8, q.queue))
                FROM (SELECT DISTINCT queue FROM inserted WHERE state = 'available') q)
        FROM inserted
        """
}

/// An enqueue the job system refuses before sending it.
public enum JobClientError: Error, CustomStringConvertible, Equatable {
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .invalid(let field, let message): return "job \(field) \(message)"
        }
    }
}
