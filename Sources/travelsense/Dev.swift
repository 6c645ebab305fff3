import ArgumentParser
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
                let server = try PostgresServer.start(directory: dataDir + "/postgres")
                postgres = server
                config.databaseURL = server.url
            }
            if config.redisURL == nil {
                let server = try RedisServer.start(directory: dataDir + "/redis")
                redis = server
                config.redisURL = server.url
            }
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

    private func migrate(_ config: AppConfig) throws {
        let pool = PostgresPool(configuration: .from(config, name: "migrate", size: 1))
        defer { pool.close() }
        try Migrator(pool: pool).apply(AllMigrations.list)
    }
}
