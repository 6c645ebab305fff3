import DevServices
import Foundation
import HTTP
import Kernel
import Logging
import Postgres
import Redis

/// An in-process `Application` wired like `serve` (real `Services`, readiness checks, error mapping) on
/// its own PostgreSQL and Redis child processes, so a test may stop, kill and restart them. Routes:
/// - `GET /db` → `SELECT 1` through the request pool (needs PostgreSQL);
/// - `GET /cache` → reads Redis, falls back to PostgreSQL when Redis is down (as modules must).
final class DataLayerApp: Sendable {
    let postgres: PostgresServer
    let redis: RedisServer
    let services: Services
    let app: Application
    let directory: String

    init(migrations: [Migration] = []) throws {
        directory = NSTemporaryDirectory() + "travelsense-faults-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        postgres = try PostgresServer.start(
            directory: directory + "/postgres", options: PostgresOptions(durable: false))
        redis = try RedisServer.start(directory: directory + "/redis")
        var config = AppConfig()
        config.port = 0
        config.host = "127.0.0.1"
        config.accessLog = false
        config.logLevel = .critical
        config.databaseURL = postgres.url
        config.redisURL = redis.url
        config.gracePeriod = .seconds(2)
        let readiness = Readiness()
        config.workers = 0
        let services = try Services(
            config: config, migrations: migrations, readiness: readiness,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        self.services = services
        let doc = RouteDoc(summary: "test", responses: [ResponseDoc(200, "ok")])
        app = Application(config: config, readiness: readiness, logSink: LogSink(writer: { _ in }, flushInterval: nil))
        {
            routes in
            routes.get("/db", doc: doc) { _ in
                try services.database.query("SELECT 1")
                return Response(status: .ok, contentType: "text/plain", body: Array("db ok".utf8))
            }
            routes.get("/cache", doc: doc) { _ in
                if let cached = try? services.redis?.getString("greeting") {
                    return Response(status: .ok, contentType: "text/plain", body: Array("redis \(cached)".utf8))
                }
                let row = try services.database.query("SELECT 'hello'::text")
                let value = try row.first.map { try $0.decode(0, as: String.self) } ?? "?"
                _ = try? services.redis?.set("greeting", value)
                return Response(status: .ok, contentType: "text/plain", body: Array("postgres \(value)".utf8))
            }
        }
        try app.start()
    }

    deinit {
        app.stop()
        services.close()
        try? redis.stop()
        try? postgres.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var port: Int { app.port }

    /// One request on a fresh connection; the client gives up after `timeout`.
    func get(_ path: String, timeout: Duration = .seconds(5)) throws -> RawResponse {
        let client = try RawClient(port: port, timeout: timeout)
        defer { client.close() }
        try client.send(request("GET", path))
        return try client.readFinalResponse().final
    }

    /// The `/readyz` body's `checks.<name>.ok`.
    func readyCheck(_ name: String) throws -> (status: Int, ok: Bool?) {
        let r = try get("/readyz")
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        let checks = json?["checks"] as? [String: Any]
        return (r.status, (checks?[name] as? [String: Any])?["ok"] as? Bool)
    }
}
