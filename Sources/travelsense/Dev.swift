import ArgumentParser
import Crypto
import DevServices
import Foundation
import Kernel
import Postgres

/// `travelsense dev`: the embedded default for a laptop. Listens on 127.0.0.1 only and needs no
/// configuration: unless `DATABASE_URL` / `REDIS_URL` point elsewhere, it starts PostgreSQL and Redis
/// as child processes inside the data directory (reusing its data and generated passwords on the next
/// start), applies migrations, and serves. Ctrl-C drains the server and stops both children; if this
/// process dies any other way, their lifelines stop them (no orphans).
struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the full stack locally on 127.0.0.1 (PostgreSQL and Redis included).")

    @Option(help: "TCP port to listen on.")
    var port: Int = 8080

    @Option(name: .customLong("data-dir"), help: "Directory for local state (created if missing).")
    var dataDir: String = ".dev-data"

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        guard !dataDir.isEmpty else { throw ValidationError("--data-dir must not be empty") }
    }

    func run() throws {
        var config = try CommandSupport.loadConfig(requireDatabase: false)
        config.host = "127.0.0.1"
        config.port = port
        var postgres: PostgresServer?
        var redis: RedisServer?
        defer {
            // After the server drained: the children stop cleanly (PostgreSQL writes a checkpoint).
            try? redis?.stop()
            try? postgres?.stop()
        }
        do {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            if config.databaseURL == nil {
                let server = try startPostgres()
                postgres = server
                config.databaseURL = server.url
            }
            if config.redisURL == nil {
                let server = try RedisServer.start(directory: dataDir + "/redis")
                redis = server
                config.redisURL = server.url
            }
            try useLocalKeysAndMail(&config)
            try migrate(config)
        } catch {
            StandardError.write("travelsense dev: \(error)\n")
            throw ExitCode(1)
        }
        StandardError.write(
            "travelsense dev: PostgreSQL \(postgres.map { "on 127.0.0.1:\($0.port)" } ?? "from DATABASE_URL"), "
                + "Redis \(redis.map { "on 127.0.0.1:\($0.port)" } ?? "from REDIS_URL"), data in \(dataDir)\n")
        let code = try Stack.run(config: config, listen: true)
        if code != 0 { throw ExitCode(code) }
    }

    /// PostgreSQL's data goes in `<data-dir>/postgres`, unless we run as root in a directory the postgres
    /// user cannot traverse (a checkout under /root): then in a fixed place under /var/tmp derived from
    /// the data directory, so it is still reused on the next start.
    private func startPostgres() throws -> PostgresServer {
        do {
            return try PostgresServer.start(directory: dataDir + "/postgres")
        } catch DevServicesError.directoryNotAccessible(let path, let user) {
            let absolute = URL(fileURLWithPath: dataDir).standardizedFileURL.path
            let fallback = "/var/tmp/travelsense-dev-\(try SHA256.hexHash(Array(absolute.utf8)).prefix(16))/postgres"
            StandardError.write(
                "travelsense dev: the \(user) user cannot reach \(path); keeping PostgreSQL's data in \(fallback)\n")
            return try PostgresServer.start(directory: fallback)
        }
    }

    /// Keys generated once into `<data-dir>/keys` unless the environment gives them, and mail written to
    /// `<data-dir>/mail` unless SMTP or MAIL_DIR is configured, exports in `<data-dir>/exports` unless
    /// S3 or EXPORT_DIR is configured: dev needs no configuration at all.
    private func useLocalKeysAndMail(_ config: inout AppConfig) throws {
        try FileManager.default.createDirectory(
            atPath: dataDir + "/keys", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if config.auth.jwtSigningKeys.isEmpty {
            let secret = try DevSecrets.loadOrCreate(at: dataDir + "/keys/jwt-signing-key")
            config.auth.jwtSigningKeys = [NamedSecret(id: "dev-1", secret: secret)]
        }
        if config.auth.fieldEncryptionKeys.isEmpty {
            let secret = try DevSecrets.loadOrCreate(at: dataDir + "/keys/field-encryption-key")
            config.auth.fieldEncryptionKeys = [NamedSecret(id: "1", secret: secret)]
        }
        if config.export.store == .local, config.export.directory == ExportSettings().directory {
            config.export.directory = dataDir + "/exports"
        }
        if config.auth.smtpURL == nil, config.auth.mailDirectory == nil {
            config.auth.mailDirectory = dataDir + "/mail"
        }
        config.auth.publicBaseURL =
            config.auth.publicBaseURL == AuthSettings().publicBaseURL
            ? "http://127.0.0.1:\(port)" : config.auth.publicBaseURL
    }

    private func migrate(_ config: AppConfig) throws {
        let pool = PostgresPool(configuration: .from(config, name: "migrate", size: 1))
        defer { pool.close() }
        try Migrator(pool: pool).apply(AllMigrations.list)
    }
}
