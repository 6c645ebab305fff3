import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `deploy/nginx/nginx.conf` as production runs it: real nginx in front of two `travelsense serve`
/// processes on loopback that share one PostgreSQL and Redis, after `travelsense migrate` ran once (the
/// migration Job's part). Each test gets its own database, replicas and nginx.
@Suite(.serialized) final class NginxProxyTests {
    /// nginx connects from 127.0.0.1; clients in these tests connect from other loopback addresses.
    static let environment = [
        "ACCESS_LOG": "true", "LOG_LEVEL": "info", "TRUSTED_PROXIES": "127.0.0.1/32", "WORKERS": "1",
        "PASSWORD_SCRYPT_LOG_N": "10", "RATE_LIMIT_REGISTER": "1000/m", "RATE_LIMIT_API": "1000000/m",
    ]

    let db: TestDatabase
    let apps: [ChildServer]
    let nginx: NginxProcess

    init() throws {
        let database = try TestDatabase.create(poolSize: 2)
        let migrate = try ChildServer.run(["migrate"], environment: ["DATABASE_URL": database.url])
        guard migrate.status == 0 else { throw TestFailure("migrate failed: \(migrate.output)") }
        let replicas = try (0..<2).map { _ in
            try ChildServer(command: "serve", environment: Self.environment, database: database)
        }
        db = database
        apps = replicas
        nginx = try NginxProcess(upstreams: NginxProcess.serverLines(ports: replicas.map(\.port)))
    }

    /// One request through nginx on a fresh connection.
    func send(
        _ method: String, _ path: String, headers: [String] = [], body: String = "", from source: String? = nil
    ) throws -> RawResponse {
        let client = try RawClient(port: nginx.port, timeout: .seconds(10), source: source)
        defer { client.close() }
        var h = headers
        if !body.isEmpty { h += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
        return try client.roundTrip(request(method, path, host: "api.travelsense.test", headers: h, body: body))
    }

    /// Registers a user through nginx and returns its access token.
    func register() throws -> String {
        let email = "nginx-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let r = try send(
            "POST", "/v1/auth/register",
            body: #"{"email":"\#(email)","password":"a fine long password","display_name":"Edge"}"#)
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        guard r.status == 201, let token = json?["access_token"] as? String else {
            throw TestFailure("register through nginx answered \(r)")
        }
        return token
    }

    /// The app's access-log lines (both replicas), newest last.
    func appAccessLines(_ app: ChildServer) -> [[String: Any]] {
        JSONLines.parse(app.log).filter { $0["msg"] as? String == "request" }
    }

    func appLine(requestID: String) -> [String: Any]? {
        apps.lazy.flatMap { self.appAccessLines($0) }.first { $0["request_id"] as? String == requestID }
    }

    func nginxLine(requestID: String) -> [String: Any]? {
        nginx.accessLog.first { $0["request_id"] as? String == requestID }
    }

    @Test func requestsFlowToBothReplicasOverReusedUpstreamConnections() throws {
        let health = try send("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.bodyString == #"{"status":"ok"}"#)
        #expect(try send("GET", "/readyz").status == 200)
        #expect(try send("GET", "/metrics").status == 404, "metrics are not served at the edge")

        let token = try register()
        // 200 authenticated reads on 20 client connections (10 each, kept alive).
        let marker = "reuse-\(UUID().uuidString.prefix(8))"
        for connection in 0..<20 {
            let client = try RawClient(port: nginx.port, timeout: .seconds(10))
            for i in 0..<10 {
                let r = try client.roundTrip(
                    request(
                        "GET", "/v1/me", host: "api.travelsense.test",
                        headers: ["Authorization: Bearer \(token)", "X-Request-ID: \(marker)-\(connection)-\(i)"]))
                #expect(r.status == 200, "\(r)")
            }
            client.close()
        }
        var lines: [[[String: Any]]] = []
        let logged = eventually {
            lines = apps.map { app in
                appAccessLines(app).filter { ($0["request_id"] as? String)?.hasPrefix(marker) == true }
            }
            return lines.map(\.count).reduce(0, +) == 200
        }
        #expect(logged, "\(lines.map(\.count)) access-log lines")
        #expect(lines.allSatisfy { $0.count > 20 }, "round robin reaches both replicas: \(lines.map(\.count))")
        // nginx's side of each upstream connection is one peer address:port; keep-alive means few of them.
        let peers = Set(lines.flatMap { $0.compactMap { $0["remote"] as? String } })
        #expect(peers.count <= 20, "200 requests arrived over \(peers.count) upstream connections")
        #expect(peers.allSatisfy { $0.hasPrefix("127.0.0.1:") })
    }

    @Test func theClientAddressReachesTheAccessAndAuditLogsThroughXForwardedForAndForgeriesAreIgnored() throws {
        let id = "xff-\(UUID().uuidString)"
        // The client forges a left-hand X-Forwarded-For entry; nginx appends the real peer (127.0.0.2).
        let r = try send(
            "GET", "/healthz", headers: ["X-Forwarded-For: 198.51.100.66", "X-Request-ID: \(id)"], from: "127.0.0.2")
        #expect(r.status == 200)
        let ours = try #require(eventuallyValue { self.appLine(requestID: id) })
        #expect(ours["client"] as? String == "127.0.0.2", "\(ours)")
        #expect((ours["remote"] as? String)?.hasPrefix("127.0.0.1:") == true, "the peer is nginx: \(ours)")
        let theirs = try #require(eventuallyValue { self.nginxLine(requestID: id) })
        #expect(theirs["remote"] as? String == "127.0.0.2")

        // The audit log records the same client for a registration made through nginx.
        let audited = "audit-\(UUID().uuidString)"
        let email = "edge-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let registered = try send(
            "POST", "/v1/auth/register", headers: ["X-Forwarded-For: 198.51.100.66", "X-Request-ID: \(audited)"],
            body: #"{"email":"\#(email)","password":"a fine long password","display_name":"Edge"}"#, from: "127.0.0.3")
        #expect(registered.status == 201, "\(registered)")
        let ips = try db.pool.query("SELECT ip FROM audit_log WHERE request_id = $1", [audited]).map {
            try $0.decode(0, as: String.self)
        }
        #expect(!ips.isEmpty && ips.allSatisfy { $0 == "127.0.0.3" }, "\(ips)")
    }

    @Test func nginxAndTheAppLogTheSameRequestID() throws {
        // No id from the client: nginx makes one, the app adopts it and echoes it.
        let plain = try send("GET", "/healthz")
        let generated = try #require(plain.header("X-Request-ID"))
        #expect(generated.count == 32 && generated.allSatisfy(\.isHexDigit), "\(generated)")
        #expect(eventuallyValue { self.appLine(requestID: generated) } != nil)
        #expect(eventuallyValue { self.nginxLine(requestID: generated) } != nil)

        // A client id the app accepts passes through unchanged.
        let chosen = "client-\(UUID().uuidString)"
        #expect(try send("GET", "/healthz", headers: ["X-Request-ID: \(chosen)"]).header("X-Request-ID") == chosen)
        #expect(eventuallyValue { self.appLine(requestID: chosen) } != nil)
        #expect(eventuallyValue { self.nginxLine(requestID: chosen) } != nil)

        // One the app would refuse is replaced at the edge, so both logs still agree.
        let refused = try send("GET", "/healthz", headers: ["X-Request-ID: has spaces/and slashes"])
        let replacement = try #require(refused.header("X-Request-ID"))
        #expect(replacement.count == 32)
        #expect(eventuallyValue { self.appLine(requestID: replacement) } != nil)
        #expect(eventuallyValue { self.nginxLine(requestID: replacement) } != nil)

        // Errors nginx produces itself are problem+json with the id too.
        let tooLarge = try send("POST", "/v1/auth/login", body: String(repeating: "x", count: 1_100_000))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.header("Content-Type") == "application/problem+json")
        #expect(tooLarge.bodyString.contains(#""status":413"#))
    }

    @Test func killingOneReplicaMidLoadFailsNoGET() throws {
        let token = try register()
        let stop = Atomic(false)
        let statuses = Collector<Int>()
        let failures = Collector<String>()
        let port = nginx.port
        let done = startThreads(6) { t in
            var client: RawClient?
            var n = 0
            while !stop.load(ordering: .relaxed) {
                n += 1
                do {
                    if client == nil { client = try RawClient(port: port, timeout: .seconds(15)) }
                    let r = try client!.roundTrip(
                        request(
                            "GET", "/v1/me", host: "api.travelsense.test",
                            headers: ["Authorization: Bearer \(token)", "X-Request-ID: kill-\(t)-\(n)"]))
                    statuses.append(r.status)
                    if r.saysClose { client = nil }
                } catch {
                    failures.append("thread \(t) request \(n): \(error)")
                    client = nil
                }
            }
        }
        sleepFor(.milliseconds(1500))
        let before = statuses.all.count
        apps[0].sendSignal(SIGKILL)
        sleepFor(.milliseconds(2500))
        stop.store(true, ordering: .relaxed)
        done.wait()

        let all = statuses.all
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        #expect(all.allSatisfy { $0 == 200 }, "statuses: \(Dictionary(grouping: all, by: { $0 }).mapValues(\.count))")
        #expect(before > 50 && all.count - before > 50, "\(before) before the kill, \(all.count - before) after")
        #expect(apps[0].waitForExit(timeout: .seconds(5)) == 128 + SIGKILL)
        // Requests that were on the killed replica were answered by the other one: nginx logs both tries.
        let retried = nginx.accessLog.filter { ($0["upstream"] as? String)?.contains(", ") == true }
        print("nginx retried \(retried.count) of \(all.count) requests on the surviving replica")
    }
}

/// Polls until `value` is non-nil (log lines are written after the response is sent).
func eventuallyValue<T>(seconds: Double = 5, _ value: () -> T?) -> T? {
    var found: T?
    _ = eventually(seconds: seconds) {
        found = value()
        return found != nil
    }
    return found
}
