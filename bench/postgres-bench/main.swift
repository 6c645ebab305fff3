/// Benchmark of the `Postgres` client against a database initialised with `pgbench -i`.
///
/// What it measures, and why:
/// - **Pool checkout overhead**: `pool.withConnection { _ in }` (acquire + release, no statement), on one
///   thread and on 8 threads sharing a pool of 8: what every request pays on top of its statements. A
///   bare `Mutex` and `NSLock` (the pool's lock is an `NSCondition`) lock/unlock are measured the same
///   way for scale. Figures are ns per operation (wall time / operations, so with 8 threads the inverse
///   of the aggregate throughput), median of 5 half-second runs.
/// - **Single-row query round trips/s**: `pool.query` of the exact statement `pgbench -S` runs
///   (`SELECT abalance FROM pgbench_accounts WHERE aid = $1`, random aid, the Int decoded), on 8 threads
///   with a pool of 8, for `SECONDS`. `bench/postgres.sh` runs `pgbench -S -c 8` on the same server as
///   the ceiling: the gap between the two is the client's cost per statement, which `query_cpu_us`
///   (this process's CPU time per statement) shows directly.
/// - The same loop on one thread, with p50/p99 latency, for context.
///
/// usage: postgres-bench URL [SECONDS]   (SECONDS defaults to 10)
/// Output: one `key=value` per line.
import Foundation
import Postgres
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: postgres-bench URL [SECONDS]")
    exit(2)
}
let bench = try Bench(url: arguments[1], seconds: arguments.count > 2 ? Double(arguments[2]) ?? 10 : 10)
bench.run()

struct Bench: Sendable {
    static let threads = 8
    static let sql = "SELECT abalance FROM pgbench_accounts WHERE aid = $1"
    let pool: PostgresPool
    let seconds: Double
    /// Rows in pgbench_accounts (100 000 × scale); aids are 1…accounts.
    let accounts: Int

    init(url: String, seconds: Double) throws {
        var configuration = PostgresConfiguration(connection: url)
        configuration.maxConnections = Self.threads
        pool = PostgresPool(configuration: configuration)
        self.seconds = seconds
        accounts = try pool.query("SELECT count(*) FROM pgbench_branches")[0].decode(0, as: Int.self) * 100_000
        try warmUp(Self.threads)
    }

    /// Opens every connection of the pool and prepares the statement on each, so no run pays for either.
    private func warmUp(_ depth: Int) throws {
        guard depth > 0 else { return }
        try pool.withConnection { connection in
            try connection.query(Self.sql, [1])
            try warmUp(depth - 1)
        }
    }

    func run() {
        let pool = pool
        let mutex = Mutex(0)
        let nsLock = NSLock()
        let operations: [(String, @Sendable () -> Void)] = [
            ("mutex", { mutex.withLock { $0 += 1 } }),
            ("nslock", { nsLock.withLock {} }),
            ("checkout", { try! pool.withConnection { _ in } }),
        ]
        for (name, operation) in operations {
            for (threads, suffix) in [(1, ""), (Self.threads, "_8t")] {
                let runs = (0..<5).map { _ in Self.nanosecondsPerOperation(threads: threads, operation) }
                report("\(name)_ns\(suffix)", median(runs))
            }
        }
        for (threads, suffix) in [(1, "_1t"), (Self.threads, "")] {
            let (rps, latencies, cpu) = queries(threads: threads)
            report("query_rps\(suffix)", rps)
            report("query_p50_us\(suffix)", Double(latencies[latencies.count / 2]) / 1000)
            report("query_p99_us\(suffix)", Double(latencies[latencies.count * 99 / 100]) / 1000)
            report("query_cpu_us\(suffix)", cpu)
        }
        pool.close()
    }

    /// The pgbench -S loop on `threads` threads for `seconds`: statements/s, sorted latencies (ns), and
    /// this process's CPU time (user + system) per statement in µs.
    func queries(threads: Int) -> (rps: Double, latencies: [UInt64], cpu: Double) {
        let all = Mutex<[UInt64]>([])
        let cpuStart = Self.cpuMicroseconds()
        let start = Self.now()
        let deadline = start + UInt64(seconds * 1e9)
        Self.onThreads(threads) { index in
            var random = SplitMix(state: UInt64(index) &* 7919 &+ start)
            var latencies = [UInt64]()
            latencies.reserveCapacity(Int(seconds) * 50_000 / threads)
            var t = Self.now()
            while t < deadline {
                let aid = Int.random(in: 1...accounts, using: &random)
                let balance = try! pool.query(Self.sql, [aid])[0].decode(0, as: Int.self)
                precondition(balance == 0, "pgbench -i sets every abalance to 0")
                let end = Self.now()
                latencies.append(end - t)
                t = end
            }
            all.withLock { $0 += latencies }
        }
        let elapsed = Double(Self.now() - start) / 1e9
        let cpu = Self.cpuMicroseconds() - cpuStart
        let latencies = all.withLock { $0 }.sorted()
        return (Double(latencies.count) / elapsed, latencies, cpu / Double(latencies.count))
    }

    /// User + system CPU time of the whole process, in µs.
    static func cpuMicroseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }

    /// Repeats `operation` on `threads` threads for half a second; returns wall ns per operation.
    static func nanosecondsPerOperation(threads: Int, _ operation: @escaping @Sendable () -> Void) -> Double {
        let operations = Atomic<Int>(0)
        let start = now()
        let deadline = start + 500_000_000
        onThreads(threads) { _ in
            var done = 0
            while now() < deadline {
                for _ in 0..<256 { operation() }
                done += 256
            }
            operations.add(done, ordering: .relaxed)
        }
        return Double(now() - start) / Double(operations.load(ordering: .relaxed))
    }

    /// Runs `body(thread)` on `count` threads of their own (blocking I/O needs real threads, not the
    /// core-sized `concurrentPerform` pool) and returns when all have finished.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                body(index)
                group.leave()
            }.start()
        }
        group.wait()
    }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    private func report(_ key: String, _ value: Double) { print("\(key)=\(String(format: "%.1f", value))") }
}

/// A per-thread SplitMix64, so picking an aid costs no syscall and no shared state.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
