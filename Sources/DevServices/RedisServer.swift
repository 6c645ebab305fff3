import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away Redis for `travelsense dev` and the tests: a child redis-server on a free loopback port,
/// requiring a password generated once and kept in `directory`, snapshotting there too, and stopped
/// when this process exits however it exits (see `SupervisedProcess`).
///
/// Layout of `directory`: `password` (0600), `redis.conf` (0600: only `requirepass`, so the secret never
/// shows in `ps`), `dump.rdb`, `redis.log`.
public final class RedisServer: Sendable {
    /// The data directory, absolute.
    public let directory: String
    /// The loopback port; `restart()` keeps it.
    public let port: Int
    /// The password, kept in `directory/password`.
    public let password: String
    /// Where the server writes its log.
    public var logPath: String { directory + "/redis.log" }

    /// `redis://:<password>@127.0.0.1:<port>/0`
    public var url: String { "redis://:\(password)@127.0.0.1:\(port)/0" }

    static let readyTimeout: Duration = .seconds(30)
    static let stopTimeout: Duration = .seconds(30)
    private static let portAttempts = 3

    private let command: [String]
    /// The running server, nil while stopped; stop, kill and restart replace it while holding the lock.
    private let process: Mutex<SupervisedProcess?>

    private init(directory: String, port: Int, password: String, command: [String], process: SupervisedProcess) {
        self.directory = directory
        self.port = port
        self.password = password
        self.command = command
        self.process = Mutex(process)
    }

    /// Starts redis-server in `directory` (e.g. ".dev-data/redis"), reusing its password and snapshot.
    public static func start(directory: String, port fixedPort: Int? = nil) throws -> RedisServer {
        let absolute = Paths.absolute(directory)
        try Paths.makeDirectories(absolute)
        let redisServer = try Binaries.require("redis-server", package: "redis-server")
        let password = try Secrets.loadOrCreate(at: absolute + "/password")
        let configuration = absolute + "/redis.conf"
        try Paths.writeAtomically(
            "# Written by DevServices on every start.\nrequirepass \(password)\n", to: configuration)

        // A free port may be taken between our probe and the server's bind: then try another.
        var attempt = 1
        while true {
            let port = try fixedPort ?? Loopback.freePort()
            let command = [
                redisServer, configuration, "--port", String(port), "--bind", "127.0.0.1", "--dir", absolute,
                "--save", "60 1000", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                "--logfile", "",
            ]
            do {
                let process = try launch(command: command, port: port, password: password, directory: absolute)
                return RedisServer(
                    directory: absolute, port: port, password: password, command: command, process: process)
            } catch DevServicesError.portInUse where fixedPort == nil && attempt < portAttempts {
                attempt += 1
            }
        }
    }

    /// SIGKILL, no snapshot: a crashed or OOM-killed Redis, for fault tests. Returns once it is gone.
    public func kill() throws {
        process.withLock { current in
            current?.stop(signal: SIGKILL, timeout: .seconds(10))
            current = nil
        }
    }

    /// Starts the server again on the same port, with the same password, stopping it first if it runs.
    /// The lock is held throughout, so concurrent restarts cannot start two servers.
    public func restart() throws {
        try process.withLock { current in
            current?.stop(signal: SIGTERM, timeout: Self.stopTimeout)
            current = nil
            current = try Self.launch(command: command, port: port, password: password, directory: directory)
        }
    }

    /// SIGTERM: Redis writes its snapshot and exits; returns once it has.
    public func stop() throws {
        process.withLock { current in
            current?.stop(signal: SIGTERM, timeout: Self.stopTimeout)
            current = nil
        }
    }

    /// redis-server's pid while it runs (tests check it disappears).
    var serverPID: pid_t? {
        process.withLock { $0?.serverPID }
    }

    /// For tests: what this process dying would do, without dying.
    func closeLifeline() {
        process.withLock { $0?.closeLifeline() }
    }

    private static func launch(
        command: [String], port: Int, password: String, directory: String
    ) throws
        -> SupervisedProcess
    {
        let process = try SupervisedProcess.launch(
            command: command, stopSignal: "TERM", logPath: directory + "/redis.log")
        let deadline = ContinuousClock.now + readyTimeout
        while ContinuousClock.now < deadline {
            if let status = process.exitStatus {
                let tail = process.logTail()
                if tail.contains("Address already in use") {
                    throw DevServicesError.portInUse(service: "redis-server", port: port, logTail: tail)
                }
                throw DevServicesError.exitedDuringStart(service: "redis-server", status: status, logTail: tail)
            }
            if answersPing(port: port, password: password) { return process }
            usleep(20_000)
        }
        let tail = process.logTail()
        process.stop(signal: SIGKILL, timeout: .seconds(10))
        throw DevServicesError.startTimeout(
            service: "redis-server", port: port, seconds: Int(readyTimeout.components.seconds), logTail: tail)
    }

    /// AUTH then PING over a raw socket. Ready means "+OK" and "+PONG": a server still loading its
    /// snapshot answers -LOADING, and only ours knows the password, so another Redis that grabbed the
    /// port cannot pass for it.
    static func answersPing(port: Int, password: String) -> Bool {
        guard let fd = Loopback.connect(port: port) else { return false }
        defer { close(fd) }
        let request = "*2\r\n$4\r\nAUTH\r\n$\(password.utf8.count)\r\n\(password)\r\n*1\r\n$4\r\nPING\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            return false
        }
        let expected = Array("+OK\r\n+PONG\r\n".utf8)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while reply.count < expected.count {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return false }
            reply.append(contentsOf: buffer[0..<count])
        }
        return reply.starts(with: expected)
    }
}
