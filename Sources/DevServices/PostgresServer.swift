import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away PostgreSQL for `travelsense dev` and the tests: a child postgres on a free loopback port,
/// its cluster in `directory` (created with initdb the first time, reused after), stopped when this
/// process exits however it exits (see `SupervisedProcess`).
///
/// Layout of `directory`: `password` (the generated secret, 0600), `data/` (the cluster), `run/` (the
/// unix socket), `postgres.log`, `initdb.log`. As root the server runs as the `postgres` user, which must
/// be able to reach `directory`.
public final class PostgresServer: Sendable {
    /// The data directory, absolute.
    public let directory: String
    /// The loopback port; `restart()` keeps it.
    public let port: Int
    /// The password of the superuser `travelsense`, kept in `directory/password`.
    public let password: String
    /// Where the server writes its log.
    public var logPath: String { cluster.logPath }

    /// `postgres://travelsense:<password>@127.0.0.1:<port>/travelsense`
    public var url: String {
        "postgres://\(PostgresCluster.role):\(password)@127.0.0.1:\(port)/\(PostgresCluster.database)"
    }

    static let readyTimeout: Duration = .seconds(30)
    static let stopTimeout: Duration = .seconds(60)
    private static let portAttempts = 3

    private let cluster: PostgresCluster
    private let command: [String]
    /// The running server, nil while stopped; stop and restart replace it while holding the lock.
    private let process: Mutex<SupervisedProcess?>

    private init(cluster: PostgresCluster, port: Int, password: String, command: [String], process: SupervisedProcess) {
        self.cluster = cluster
        directory = cluster.directory
        self.port = port
        self.password = password
        self.command = command
        self.process = Mutex(process)
    }

    /// Starts PostgreSQL in `directory` (e.g. ".dev-data/postgres"): initdb when it holds no cluster,
    /// reuse (and the kept password) when it does; database `travelsense` exists on return.
    public static func start(directory: String, options: PostgresOptions = .init()) throws -> PostgresServer {
        let absolute = Paths.absolute(directory)
        try Paths.makeDirectories(absolute)
        let user = try PostgresUser.resolve()
        try user.checkCanReach(absolute)
        let cluster = PostgresCluster(directory: absolute, bindir: try Binaries.postgresBinDir(), user: user)
        let password: String
        if cluster.isInitialised {
            guard let kept = try Secrets.load(at: cluster.passwordPath) else {
                throw DevServicesError.secretMissing(path: cluster.passwordPath, directory: absolute)
            }
            password = kept
        } else {
            password = try Secrets.loadOrCreate(at: cluster.passwordPath)
            try cluster.initdb(password: password, fast: !options.durable)
        }
        let socketDirectory = try cluster.socketDirectory()

        // A free port may be taken between our probe and the server's bind: then try another.
        var attempt = 1
        while true {
            let port = try options.port ?? Loopback.freePort()
            let command = try cluster.serverCommand(port: port, options: options, socketDirectory: socketDirectory)
            let process: SupervisedProcess
            do {
                process = try launch(cluster: cluster, command: command, port: port)
            } catch DevServicesError.portInUse where options.port == nil && attempt < portAttempts {
                attempt += 1
                continue
            }
            let server = PostgresServer(
                cluster: cluster, port: port, password: password, command: command, process: process)
            do {
                try cluster.ensureDatabase(port: port, password: password)
            } catch {
                try? server.stop()
                throw error
            }
            return server
        }
    }

    /// Stops the server and waits until it has exited: a fast shutdown (clients disconnected, a
    /// checkpoint written), or with `immediate` an immediate one (no checkpoint; the next start
    /// recovers from WAL, as after a crash). These are the signals `pg_ctl stop -m fast|immediate`
    /// sends; we hold the postmaster's pid, so no pg_ctl (and no setpriv) is needed.
    public func stop(immediate: Bool = false) throws {
        process.withLock { current in
            current?.stop(signal: immediate ? SIGQUIT : SIGINT, timeout: Self.stopTimeout)
            current = nil
        }
    }

    /// Starts the server again on the same port and data, stopping it first (fast) if it runs. The lock
    /// is held throughout, so concurrent restarts cannot start two postmasters.
    public func restart() throws {
        try process.withLock { current in
            current?.stop(signal: SIGINT, timeout: Self.stopTimeout)
            current = nil
            current = try Self.launch(cluster: cluster, command: command, port: port)
        }
    }

    /// The postmaster's pid while it runs (tests check it disappears).
    var serverPID: pid_t? {
        process.withLock { $0?.serverPID }
    }

    /// For tests: what this process dying would do, without dying.
    func closeLifeline() {
        process.withLock { $0?.closeLifeline() }
    }

    /// Starts `command` under a supervisor and waits until this postmaster accepts connections.
    private static func launch(cluster: PostgresCluster, command: [String], port: Int) throws -> SupervisedProcess {
        let process = try SupervisedProcess.launch(command: command, stopSignal: "INT", logPath: cluster.logPath)
        let isReady = try Binaries.postgresTool("pg_isready", in: cluster.bindir)
        let deadline = ContinuousClock.now + readyTimeout
        while ContinuousClock.now < deadline {
            if let status = process.exitStatus {
                let tail = process.logTail()
                if tail.contains("Address already in use") {
                    throw DevServicesError.portInUse(service: "postgres", port: port, logTail: tail)
                }
                throw DevServicesError.exitedDuringStart(service: "postgres", status: status, logTail: tail)
            }
            if cluster.postmasterIsReady(pid: process.serverPID),
                let probe = try? Subprocess.run(
                    [isReady, "-q", "-h", "127.0.0.1", "-p", String(port), "-t", "5"], timeout: .seconds(10)),
                probe.status == 0
            {
                return process
            }
            usleep(20_000)
        }
        let tail = process.logTail()
        process.stop(signal: SIGQUIT, timeout: .seconds(10))
        throw DevServicesError.startTimeout(
            service: "postgres", port: port, seconds: Int(readyTimeout.components.seconds), logTail: tail)
    }
}
