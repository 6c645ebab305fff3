import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The on-disk side of a throw-away PostgreSQL: the directory layout, initdb, the application database,
/// and telling when *our* postmaster is ready.
struct PostgresCluster: Sendable {
    static let role = "travelsense"
    static let database = "travelsense"
    /// Longest unix socket directory we use: sun_path holds 108 bytes including ".s.PGSQL.65535".
    static let maxSocketDirectoryLength = 90

    let directory: String
    let bindir: String
    let user: PostgresUser

    var dataDirectory: String { directory + "/data" }
    var passwordPath: String { directory + "/password" }
    var logPath: String { directory + "/postgres.log" }
    var isInitialised: Bool { Paths.exists(dataDirectory + "/PG_VERSION") }

    /// Creates the cluster: superuser `travelsense` with `password`, trust on the unix socket (only
    /// the postgres user can reach it), SCRAM over TCP. `fast` skips initdb's final fsync.
    func initdb(password: String, fast: Bool) throws {
        try Paths.makeDirectories(dataDirectory, mode: 0o700)
        try user.own(dataDirectory, mode: 0o700)
        // initdb needs the password in a file it can read; as root that means a copy owned by postgres,
        // removed again at once, so the kept secret stays owned by the invoking user.
        var passwordFile = passwordPath
        if user.isSwitching {
            passwordFile = directory + "/.initdb-password"
            try Paths.writeAtomically(password + "\n", to: passwordFile, mode: 0o400)
            try user.own(passwordFile, mode: 0o400)
        }
        defer { if passwordFile != passwordPath { unlink(passwordFile) } }
        let arguments = [
            try Binaries.postgresTool("initdb", in: bindir), "-D", dataDirectory, "-U", Self.role,
            "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=\(passwordFile)", "-E", "UTF8",
            "--locale=\(Self.locale)",
        ]
        let result = try Subprocess.run(user.command(arguments + (fast ? ["--no-sync"] : [])), timeout: .seconds(120))
        try? Paths.writeAtomically(result.output, to: directory + "/initdb.log")
        guard result.status == 0 else {
            throw DevServicesError.initdbFailed(status: result.status, logTail: String(result.output.suffix(3000)))
        }
    }

    /// The unix socket directory (owned by the postgres user), or "" (TCP only) when its path would be
    /// too long for a socket address.
    func socketDirectory() throws -> String {
        let path = directory + "/run"
        guard path.utf8.count <= Self.maxSocketDirectoryLength else { return "" }
        try Paths.makeDirectories(path, mode: 0o700)
        try user.own(path, mode: 0o700)
        return path
    }

    /// The postgres command line for `port`.
    func serverCommand(port: Int, options: PostgresOptions, socketDirectory: String) throws -> [String] {
        let postgres = try Binaries.postgresTool("postgres", in: bindir)
        return user.command(
            [postgres, "-D", dataDirectory, "-p", String(port)]
                + options.commandLineSettings(socketDirectory: socketDirectory))
    }

    /// Whether the postmaster with `pid` says it accepts connections: line 8 of postmaster.pid reads
    /// "ready". Unlike probing the port, this cannot mistake another server on that port for ours.
    func postmasterIsReady(pid: pid_t) -> Bool {
        guard let data = FileManager.default.contents(atPath: dataDirectory + "/postmaster.pid") else { return false }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 8, lines[0] == String(pid) else { return false }
        return lines[7].trimmingCharacters(in: .whitespaces) == "ready"
    }

    /// Creates the application database unless it exists: after the first start, and again after a
    /// start that died between initdb and here.
    func ensureDatabase(port: Int, password: String) throws {
        let psql = try Binaries.postgresTool("psql", in: bindir)
        let connection = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", Self.role]
        let environment = Spawn.environment(["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"])
        let exists = try Subprocess.check(
            [psql] + connection + [
                "-d", "postgres", "-tA", "-c", "SELECT 1 FROM pg_database WHERE datname = 'travelsense'",
            ],
            what: "psql (looking for database \(Self.database))", environment: environment)
        guard exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" else { return }
        try Subprocess.check(
            [psql] + connection + ["-d", "postgres", "-c", "CREATE DATABASE \(Self.database)"],
            what: "psql (CREATE DATABASE \(Self.database))", environment: environment)
    }

    /// C.UTF-8 where the C library has it (byte-order collation with UTF-8 character classes), else C.
    static let locale: String = {
        guard let handle = newlocale(1 << LC_CTYPE, "C.UTF-8", nil) else { return "C" }
        freelocale(handle)
        return "C.UTF-8"
    }()
}
