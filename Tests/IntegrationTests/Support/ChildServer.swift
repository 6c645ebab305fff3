import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The real `travelsense dev` binary as a child process, so RSS, threads and signal handling are the
/// server's alone.
///
/// By default it uses a fresh database on the tests' shared PostgreSQL and the shared Redis (through
/// `DATABASE_URL`/`REDIS_URL`); with `ownServices` it starts its own PostgreSQL and Redis in its data
/// directory, exactly as `make dev` does on a laptop.
final class ChildServer {
    let process = Process()
    let port: Int
    let dataDir: String
    /// The database it uses, unless it runs its own services.
    let database: TestDatabase?

    /// The binary built alongside this test bundle (same scratch path, so never stale), else the
    /// package's `.build/debug/travelsense`.
    static let binaryPath: String? = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/travelsense")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/travelsense").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// - Parameters:
    ///   - command: `dev` (default) or `serve` (then `database` must already be migrated).
    ///   - database: share a database between several children; by default each gets a fresh one.
    init(
        command: String = "dev", environment extra: [String: String] = [:], ownServices: Bool = false,
        database shared: TestDatabase? = nil
    ) throws {
        guard let binary = Self.binaryPath else { throw ClientError.malformed("travelsense binary not built") }
        database = ownServices ? nil : try shared ?? TestDatabase.create(poolSize: 2)
        port = try Self.freePort()
        dataDir = NSTemporaryDirectory() + "travelsense-it-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = command == "dev" ? ["dev", "--port", String(port), "--data-dir", dataDir] : [command]
        var env = ProcessInfo.processInfo.environment
        env["LOG_LEVEL"] = "warning"
        env["ACCESS_LOG"] = "false"
        env["DATABASE_URL"] = database?.url
        env["HOST"] = "127.0.0.1"
        env["PORT"] = String(port)
        env["REDIS_URL"] = ownServices ? nil : try TestServices.redisURL()
        if command != "dev" {
            // `serve` and `work` refuse to start without keys (`dev` makes its own).
            env["JWT_SIGNING_KEYS"] = "child-1:child-signing-secret-0123456789abcdefgh"
            env["FIELD_ENCRYPTION_KEYS"] = "1:child-field-secret-0123456789abcdefghijk"
        }
        for (k, v) in extra { env[k] = v }
        process.environment = env
        _ = FileManager.default.createFile(atPath: dataDir + "/server.log", contents: nil)
        let log = FileHandle(forWritingAtPath: dataDir + "/server.log")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        guard waitUntilServing(timeout: .seconds(60)) else {
            stopHard()
            throw ClientError.timeout("travelsense dev to serve /healthz on port \(port)")
        }
    }

    deinit {
        stopHard()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    var pid: Int32 { process.processIdentifier }

    /// What the server logged (stdout and stderr).
    var log: String { (try? String(contentsOfFile: dataDir + "/server.log", encoding: .utf8)) ?? "" }

    private func waitUntilServing(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, process.isRunning {
            if let c = try? RawClient(port: port, timeout: .seconds(2)),
                (try? c.send(request("GET", "/healthz"))) != nil,
                let r = try? c.readFinalResponse().final, r.status == 200
            {
                return true
            }
            sleepFor(.milliseconds(50))
        }
        return false
    }

    /// Runs the binary to completion (`migrate`, `admin`…) with `environment` over the test process's
    /// own; returns its exit status and everything it printed.
    static func run(_ arguments: [String], environment: [String: String?]) throws -> (status: Int32, output: String) {
        guard let binary = binaryPath else { throw ClientError.malformed("travelsense binary not built") }
        return try ToolProcess.run(binary, arguments, environment: environment)
    }

    /// One GET on a fresh connection.
    func get(_ path: String, timeout: Duration = .seconds(5)) throws -> RawResponse {
        let client = try RawClient(port: port, timeout: timeout)
        defer { client.close() }
        try client.send(request("GET", path))
        return try client.readFinalResponse().final
    }

    /// VmRSS in MiB and the thread count, from /proc/PID/status.
    func memoryAndThreads() -> (rssMB: Double, threads: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var rss: Double?
        var threads: Int?
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.first == "VmRSS:", parts.count >= 2, let kb = Double(parts[1]) { rss = kb / 1024 }
            if parts.first == "Threads:", parts.count >= 2 { threads = Int(parts[1]) }
        }
        guard let rss, let threads else { return nil }
        return (rss, threads)
    }

    func sendSignal(_ signal: Int32) { kill(pid, signal) }

    /// The exit status once the process has exited within `timeout`; nil if it is still running.
    /// A death by signal is reported as 128 + the signal number.
    func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { sleepFor(.milliseconds(10)) }
        if process.isRunning { return nil }
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    private func stopHard() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A port nobody listens on right now (bound to 0, read, released).
    static func freePort() throws -> Int {
        try FreePorts.take(1)[0]
    }
}

/// Lets this process hold `n` descriptors (10,000 client sockets need more than the usual 1024).
func raiseDescriptorLimit(to n: Int) -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    if limit.rlim_cur < rlim_t(n) {
        limit.rlim_cur = min(limit.rlim_max, rlim_t(n))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return Int(limit.rlim_cur)
}
