import Dispatch
import Foundation
import Jobs
import Logging
import Postgres
import Synchronization

/// Measures, on a fresh database:
/// 1. enqueue only: `jobs` no-op jobs in batches of `batch` from one thread, no workers running;
/// 2. end to end: the same enqueue while a `JobSystem` with `workers` handler slots claims and
///    completes them; timed from the first enqueue until the last job is `completed` in the table.
/// Prints `name=value` lines; the last is `jobs_per_second=N` (end to end).
enum JobsBench {
    static func run(arguments: [String]) -> Int32 {
        do {
            let settings = try BenchSettings(arguments: arguments, environment: ProcessInfo.processInfo.environment)
            let database = try BenchDatabase(serverURL: settings.databaseURL)
            defer { database.close() }
            try Migrator(pool: database.pool).apply(JobSchema.migrations)
            let enqueueOnly = try measureEnqueue(settings, database.pool)
            try database.pool.execute("TRUNCATE jobs")
            try database.pool.execute("VACUUM ANALYZE jobs")
            let endToEnd = try measureEndToEnd(settings, database)
            print("jobs=\(settings.jobs) workers=\(settings.workers) batch=\(settings.batch)")
            print("enqueue_only_jobs_per_second=\(Int(Double(settings.jobs) / enqueueOnly))")
            print("enqueue_during_run_jobs_per_second=\(Int(Double(settings.jobs) / endToEnd.enqueue))")
            print("end_to_end_seconds=\(String(format: "%.3f", endToEnd.total))")
            print("jobs_per_second=\(Int(Double(settings.jobs) / endToEnd.total))")
            return 0
        } catch {
            FileHandle.standardError.write(Data("jobs-bench: \(error)\n".utf8))
            return 1
        }
    }

    /// Seconds to enqueue every job with no workers running.
    static func measureEnqueue(_ settings: BenchSettings, _ pool: PostgresPool) throws -> Double {
        let client = JobClient(pool: pool)
        let start = DispatchTime.now()
        try enqueueAll(settings, client)
        return seconds(since: start)
    }

    static func enqueueAll(_ settings: BenchSettings, _ client: JobClient) throws {
        let batch = [JobInsert](repeating: JobInsert(kind: BuiltinKinds.noop), count: settings.batch)
        var remaining = settings.jobs
        while remaining > 0 {
            let n = min(remaining, settings.batch)
            try client.enqueueMany(n == batch.count ? batch : Array(batch.prefix(n)))
            remaining -= n
        }
    }

    static func measureEndToEnd(
        _ settings: BenchSettings, _ database: BenchDatabase
    ) throws -> (
        enqueue: Double, total: Double
    ) {
        var logger = Logger(label: "jobs-bench")
        logger.logLevel = .warning
        // As `travelsense serve` wires it: the machinery commits asynchronously, enqueues durably.
        var machinery = database.pool.configuration
        machinery.synchronousCommit = false
        machinery.name = "jobs-bench-machinery"
        let machineryPool = PostgresPool(configuration: machinery)
        defer { machineryPool.close() }
        let system = JobSystem(
            pool: machineryPool, enqueuePool: database.pool,
            listenerConfiguration: PostgresConfiguration(connection: database.databaseURL),
            logger: logger,
            configuration: JobConfiguration(queues: [JobDefaults.queue: settings.workers], pruneSchedule: nil))
        let ran = Counter()
        system.register(kind: BuiltinKinds.noop) { _ in ran.increment() }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        // Let the listener connect and the start-up claim come back empty.
        let ready = DispatchTime.now() + .seconds(5)
        while !system.isListening && DispatchTime.now() < ready { usleep(10_000) }
        usleep(100_000)

        let start = DispatchTime.now()
        try enqueueAll(settings, system.client)
        let enqueue = seconds(since: start)
        while ran.value < settings.jobs { usleep(500) }
        // Handlers are done; the last completions land with the completer's next flush.
        while try unfinished(database.pool) { usleep(500) }
        let total = seconds(since: start)
        let completed = try database.pool.query("SELECT count(*) FROM jobs WHERE state = 'completed'")
            .first?.decode(0, as: Int.self)
        guard completed == settings.jobs, ran.value == settings.jobs else {
            throw BenchError("expected \(settings.jobs) completed jobs, got \(completed ?? -1) (ran \(ran.value))")
        }
        return (enqueue, total)
    }

    /// Whether any job is still available or running (each arm is served by its partial index).
    static func unfinished(_ pool: PostgresPool) throws -> Bool {
        try pool.query(
            """
            SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'running')
                OR EXISTS (SELECT 1 FROM jobs WHERE state = 'available')
            """
        ).first?.decode(0, as: Bool.self) ?? true
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// Handler runs, counted without a lock.
final class Counter: Sendable {
    private let count = Atomic(0)

    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
