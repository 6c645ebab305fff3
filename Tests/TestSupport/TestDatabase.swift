import Crypto
import Foundation
import Postgres
import Synchronization

/// A database of its own for one test suite, on the shared test PostgreSQL: a copy of a template that
/// already has `migrations` applied (`CREATE DATABASE … TEMPLATE`, a file copy — milliseconds, where
/// migrating each time would cost a round trip per statement). Suites run in parallel safely because
/// none shares a database.
public final class TestDatabase: Sendable {
    /// A `postgres://` URL for this database (hand it to a server under test as `DATABASE_URL`).
    public let url: String
    public let name: String
    /// A pool of `poolSize` connections on it.
    public let pool: PostgresPool

    private init(url: String, name: String, poolSize: Int) {
        self.url = url
        self.name = name
        var configuration = PostgresConfiguration(connection: url)
        configuration.maxConnections = poolSize
        configuration.name = name
        pool = PostgresPool(configuration: configuration)
    }

    deinit { pool.close() }

    /// A fresh database with `migrations` applied.
    public static func create(migrations: [Migration] = [], poolSize: Int = 10) throws -> TestDatabase {
        let server = try TestServices.postgresURL()
        let template = try Templates.shared.template(for: migrations, server: server)
        let name = "ts_test_" + UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: "")
        try Templates.shared.admin(server).execute("CREATE DATABASE \(name) TEMPLATE \(template)")
        return TestDatabase(url: try databaseURL(server, name), name: name, poolSize: poolSize)
    }

    /// `server` with its database name replaced.
    public static func databaseURL(_ server: String, _ database: String) throws -> String {
        guard var components = URLComponents(string: server) else {
            throw TestServices.Unavailable(description: "not a postgres:// URL: TEST_DATABASE_URL")
        }
        components.path = "/" + database
        guard let url = components.string else {
            throw TestServices.Unavailable(description: "cannot build a URL for database \(database)")
        }
        return url
    }
}

/// Migrated template databases, one per distinct migration list, made once per process (and reused by
/// later runs on the same server, since the name is derived from the migrations' content).
final class Templates: Sendable {
    static let shared = Templates()

    /// Admin pools by server URL, and templates known to exist; creation is serialised by the lock.
    private let state = Mutex<(admins: [String: PostgresPool], ready: Set<String>)>(([:], []))

    func admin(_ server: String) -> PostgresPool {
        state.withLock { s in
            if let pool = s.admins[server] { return pool }
            var configuration = PostgresConfiguration(connection: server)
            configuration.maxConnections = 4
            configuration.name = "test-admin"
            let pool = PostgresPool(configuration: configuration)
            s.admins[server] = pool
            return pool
        }
    }

    func template(for migrations: [Migration], server: String) throws -> String {
        var content = [UInt8]()
        for m in migrations { content += Array(m.id.utf8) + [0] + Array(m.sql.utf8) + [0] }
        let name = "ts_tmpl_" + String(try SHA256.hexHash(content).prefix(16))
        if state.withLock({ $0.ready.contains(name) }) { return name }
        let admin = self.admin(server)
        try admin.withConnection { conn in
            // Across processes sharing TEST_DATABASE_URL, one builds the template while others wait.
            try conn.query("SELECT pg_advisory_lock(hashtext($1))", [name])
            defer { _ = try? conn.query("SELECT pg_advisory_unlock(hashtext($1))", [name]) }
            let exists = try conn.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]).count == 1
            if !exists {
                let building = name + "_build"
                try conn.simpleQuery("DROP DATABASE IF EXISTS \(building)")
                try conn.simpleQuery("CREATE DATABASE \(building)")
                var configuration = PostgresConfiguration(connection: try TestDatabase.databaseURL(server, building))
                configuration.maxConnections = 1
                let pool = PostgresPool(configuration: configuration)
                try Migrator(pool: pool).apply(migrations)
                pool.close()
                // Renamed only once complete, so a crash mid-way never leaves a half-migrated template.
                try conn.simpleQuery("ALTER DATABASE \(building) RENAME TO \(name)")
            }
        }
        state.withLock { _ = $0.ready.insert(name) }
        return name
    }

    /// Databases of earlier runs on a server this process started itself (nobody else uses it).
    func dropLeftoverTestDatabases(server: String) throws {
        let names = try admin(server).query("SELECT datname FROM pg_database WHERE datname LIKE 'ts\\_test\\_%'")
        for row in names {
            try admin(server).execute("DROP DATABASE IF EXISTS \(try row.decode(0, as: String.self)) WITH (FORCE)")
        }
    }
}
