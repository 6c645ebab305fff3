import AIProxy
import Auth
import Export
import Foundation
import HTTP
import Jobs
import Kernel
import Logging
import Mail
import Postgres
import Redis
import TestSupport
import Trips

/// An in-process server wired like `serve` with the Auth module (real PostgreSQL in a fresh database,
/// real Redis, job workers sending mail as `.eml` files into a temporary directory), talked to over
/// real sockets. Rate-limit policy names are unique per app, so apps sharing one Redis never share
/// counters.
final class AuthApp: Sendable {
    let database: TestDatabase
    let services: Services
    let auth: AuthModule
    let trips: TripsModule
    let export: ExportModule
    let ai: AIProxyModule
    let app: Application
    let mailDirectory: String
    let config: AppConfig

    /// Keys every test app shares, so a second app (rehash, restart) verifies the first one's tokens.
    static let signingKeys = [NamedSecret(id: "test-1", secret: "test-signing-secret-0123456789abcdefghij")]
    static let fieldKeys = [NamedSecret(id: "1", secret: "test-field-secret-0123456789abcdefghijklm")]

    /// - Parameters:
    ///   - database: reuse another app's database (a restart with new settings); nil makes a new one.
    ///   - configure: adjusts the settings (limits, scrypt cost…) before start.
    init(database: TestDatabase? = nil, configure: (inout AppConfig) -> Void = { _ in }) throws {
        let migrations = JobSchemaList.all
        self.database = try database ?? TestDatabase.create(migrations: migrations)
        mailDirectory = NSTemporaryDirectory() + "travelsense-mail-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var config = AppConfig()
        config.port = 0
        config.host = "127.0.0.1"
        config.accessLog = false
        config.logLevel = .critical
        config.databaseURL = self.database.url
        config.redisURL = try TestServices.redisURL()
        config.gracePeriod = .seconds(2)
        config.workers = 2
        config.jobsPollInterval = .milliseconds(100)
        config.auth.jwtSigningKeys = Self.signingKeys
        config.auth.fieldEncryptionKeys = Self.fieldKeys
        config.auth.mailDirectory = mailDirectory
        config.auth.scryptLogN = 10
        config.export.directory = mailDirectory + "-exports"
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        for path in [\AuthSettings.registerLimit, \.loginLimit, \.forgotLimit, \.refreshLimit, \.apiLimit] {
            config.auth[keyPath: path] = RateLimitPolicy(
                name: "\(config.auth[keyPath: path].name)-\(tag)", limit: 10_000, window: .seconds(60))
        }
        configure(&config)
        self.config = config
        let readiness = Readiness()
        let services = try Services(
            config: config, migrations: migrations, readiness: readiness,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        self.services = services
        let auth = try AuthModule(services: services, mailer: FileMailer(directory: mailDirectory))
        self.auth = auth
        let trips = try TripsModule(services: services, accounts: auth.service)
        self.trips = trips
        let export = try ExportModule(services: services, trips: trips.service, idempotency: trips.idempotency)
        self.export = export
        let ai = try AIProxyModule(services: services, trips: trips.service, idempotency: trips.idempotency)
        self.ai = ai
        app = Application(
            config: config, readiness: readiness,
            logSink: LogSink(writer: { _ in }, flushInterval: nil),
            background: [services.jobs] + ai.background, middleware: [auth.middleware]
        ) { routes in
            auth.register(&routes)
            trips.register(&routes)
            export.register(&routes)
            ai.register(&routes)
        }
        try app.start()
    }

    deinit {
        app.stop()
        services.close()
        try? FileManager.default.removeItem(atPath: mailDirectory)
        try? FileManager.default.removeItem(atPath: config.export.directory)
    }

    var port: Int { app.port }

    /// A JSON request on a fresh connection.
    @discardableResult
    func call(
        _ method: String, _ path: String, json: Any? = nil, token: String? = nil, headers: [String] = []
    ) throws -> APIResponse {
        var h = headers
        if let token { h.append("Authorization: Bearer \(token)") }
        var body = ""
        if let json {
            body = String(
                decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
            h.append("Content-Type: application/json")
        }
        if !body.isEmpty || ["POST", "PUT", "PATCH", "DELETE"].contains(method) {
            h.append("Content-Length: \(body.utf8.count)")
        }
        let client = try RawClient(port: port, timeout: .seconds(10))
        defer { client.close() }
        try client.send(request(method, path, headers: h, body: body))
        return APIResponse(try client.readFinalResponse().final)
    }

    /// A request with `body` sent as is (file uploads, documents whose bytes matter).
    @discardableResult
    func send(
        _ method: String, _ path: String, body: [UInt8], contentType: String, token: String? = nil
    ) throws -> APIResponse {
        var h = ["Content-Type: \(contentType)", "Content-Length: \(body.count)"]
        if let token { h.append("Authorization: Bearer \(token)") }
        let client = try RawClient(port: port, timeout: .seconds(30))
        defer { client.close() }
        try client.send(Array(request(method, path, headers: h).utf8) + body)
        return APIResponse(try client.readFinalResponse().final)
    }

    /// Registers a fresh user; returns its tokens and credentials.
    func register(
        email: String = "user-\(UUID().uuidString.prefix(8).lowercased())@example.com",
        password: String = "a fine long password", name: String = "Test User"
    ) throws -> Account {
        let r = try call(
            "POST", "/v1/auth/register", json: ["email": email, "password": password, "display_name": name])
        guard r.status == 201, let access = r.string("access_token"), let refresh = r.string("refresh_token"),
            let id = r.json["user"].flatMap({ ($0 as? [String: Any])?["id"] as? String })
        else { throw TestFailure("register answered \(r.status): \(r.text)") }
        return Account(id: id, email: email, password: password, accessToken: access, refreshToken: refresh)
    }

    /// Makes `account` an administrator directly in the database (as `travelsense admin create` does).
    func promote(_ account: Account) throws {
        _ = try AdminBootstrap(pool: database.pool, scryptLogN: 10).create(
            email: account.email, password: nil, displayName: nil)
    }

    /// The mails written so far, oldest first, as text.
    func mails() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: mailDirectory)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
            FileManager.default.contents(atPath: mailDirectory + "/" + $0).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Waits for a mail to `address` whose text contains `marker`, and returns the `ot_…` token in it.
    func waitForToken(to address: String, containing marker: String, after count: Int = 0) -> String? {
        var token: String?
        _ = eventually(seconds: 15) {
            for mail in mails().dropFirst(count) where mail.contains(address) && mail.contains(marker) {
                // Quoted-printable may soft-wrap long lines; undo that before searching.
                let unfolded = mail.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(
                    of: "=\n", with: "")
                if let range = unfolded.range(of: #"ot_[A-Za-z0-9_-]{43}"#, options: .regularExpression) {
                    token = String(unfolded[range])
                    return true
                }
            }
            return false
        }
        return token
    }
}

struct Account {
    var id: String
    var email: String
    var password: String
    var accessToken: String
    var refreshToken: String
}

/// A response with its body parsed as a JSON object when it is one.
struct APIResponse {
    let raw: RawResponse
    var status: Int { raw.status }
    var text: String { String(decoding: raw.body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(raw.body))) as? [String: Any] ?? [:] }
    func header(_ name: String) -> String? { raw.header(name) }
    func string(_ key: String) -> String? { json[key] as? String }

    init(_ raw: RawResponse) { self.raw = raw }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Every migration the executable applies, in its order.
enum JobSchemaList {
    static let all: [Migration] =
        JobSchema.migrations + KernelSchema.migrations + AuthModule.migrations + TripsModule.migrations
        + ExportModule.migrations + AIProxyModule.migrations
}
