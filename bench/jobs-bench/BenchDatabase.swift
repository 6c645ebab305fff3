import DevServices
import Foundation
import Postgres

/// A database of the benchmark's own, dropped at the end, on `DATABASE_URL`'s server or on a
/// throw-away PostgreSQL (non-durable, like the tests') started for the run.
final class BenchDatabase {
    let url: String
    let pool: PostgresPool
    private let name: String
    private let admin: PostgresPool
    private let server: PostgresServer?
    private let serverDirectory: String?

    init(serverURL: String?) throws {
        if let serverURL {
            server = nil
            serverDirectory = nil
            admin = PostgresPool(configuration: PostgresConfiguration(connection: serverURL))
            url = try Self.replacingDatabase(in: serverURL, with: "")
        } else {
            let directory = NSTemporaryDirectory() + "jobs-bench-\(getpid())"
            let started = try PostgresServer.start(directory: directory, options: PostgresOptions(durable: false))
            server = started
            serverDirectory = directory
            admin = PostgresPool(configuration: PostgresConfiguration(connection: started.url))
            url = started.url
        }
        name = "jobs_bench_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try admin.execute("CREATE DATABASE \(name)")
        var configuration = PostgresConfiguration(connection: try Self.replacingDatabase(in: url, with: name))
        configuration.maxConnections = 16
        configuration.name = "jobs-bench"
        pool = PostgresPool(configuration: configuration)
    }

    var databaseURL: String { pool.configuration.connection }

    func close() {
        pool.close()
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        admin.close()
        if let server {
            try? server.stop()
            if let serverDirectory { try? FileManager.default.removeItem(atPath: serverDirectory) }
        }
    }

    static func replacingDatabase(in url: String, with database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw BenchError("not a postgres:// URL: \(url)") }
        components.path = database.isEmpty ? components.path : "/" + database
        guard let out = components.string else { throw BenchError("cannot build a URL for \(database)") }
        return out
    }
}
