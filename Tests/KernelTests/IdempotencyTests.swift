import Foundation
import HTTP
import Postgres
import TestSupport
import Testing

@testable import Kernel

/// `Idempotency-Key` against real PostgreSQL, through the real server.
@Suite struct IdempotencyTests {
    let db: TestDatabase
    let calls = Locked(0)
    let app: Application

    init() throws {
        db = try TestDatabase.create(migrations: KernelSchema.migrations)
        let idempotency = IdempotencyMiddleware(pool: db.pool)
        let calls = self.calls
        let doc = RouteDoc(summary: "t", responses: [ResponseDoc(201, "created")])
        (app, _) = try startTestApplication(accessLog: false) { routes in
            routes.post("/v1/things", middleware: [idempotency], doc: doc) { request in
                let n = calls.withLock {
                    $0 += 1
                    return $0
                }
                if request.headers["X-Sleep"] != nil { usleep(400_000) }
                if request.headers["X-Fail"] != nil { throw HTTPError(.serviceUnavailable, detail: "try later") }
                var headers = HTTPFields()
                headers.append(.location, "/v1/things/\(n)")
                headers.append(.contentType, "application/json")
                return Response(status: .created, headers: headers, body: .bytes(Array("{\"n\":\(n)}".utf8)))
            }
        }
    }

    func post(_ body: String, key: String?, extra: [String: String] = [:]) throws -> RawHTTP.Reply {
        var headers = extra
        headers["Content-Length"] = String(body.utf8.count)
        headers["Content-Type"] = "application/json"
        if let key { headers["Idempotency-Key"] = key }
        return try RawHTTP.request("POST", port: app.port, "/v1/things", headers: headers, body: body)
    }

    @Test func aRetryReplaysTheStoredResponseWithoutRunningTheHandlerAgain() throws {
        defer { app.stop() }
        let first = try post(#"{"a":1}"#, key: "k-1")
        #expect(first.status == 201)
        let again = try post(#"{"a":1}"#, key: "k-1")
        #expect(again.status == 201)
        #expect(again.body == first.body)
        #expect(again.header("Location") == first.header("Location"))
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(calls.withLock { $0 } == 1)
        // The same key with another body is a client bug.
        #expect(try post(#"{"a":2}"#, key: "k-1").status == 422)
        // Without a key, or with another key, requests run.
        #expect(try post(#"{"a":1}"#, key: nil).status == 201)
        #expect(try post(#"{"a":1}"#, key: "k-2").status == 201)
        #expect(calls.withLock { $0 } == 3)
        // Keys belong to their caller.
        #expect(
            try post(#"{"a":1}"#, key: "k-1", extra: ["Authorization": "Bearer other"]).header("Idempotent-Replayed")
                == nil)
    }

    @Test func aRequestStillRunningMakesItsRetry409() throws {
        defer { app.stop() }
        let slow = Thread { _ = try? self.post("{}", key: "slow", extra: ["X-Sleep": "1"]) }
        slow.start()
        #expect(eventually { calls.withLock { $0 } == 1 })
        let retry = try post("{}", key: "slow")
        #expect(retry.status == 409)
        #expect(retry.header("Retry-After") == "1")
        #expect(eventually { (try? post("{}", key: "slow"))?.header("Idempotent-Replayed") == "true" })
    }

    @Test func failuresFreeTheKeyAndBadKeysAreRefused() throws {
        defer { app.stop() }
        #expect(try post("{}", key: "fails", extra: ["X-Fail": "1"]).status == 503)
        #expect(try post("{}", key: "fails").status == 201)
        #expect(calls.withLock { $0 } == 2)
        #expect(try post("{}", key: String(repeating: "x", count: 256)).status == 400)
        #expect(try post("{}", key: "has space").status == 400)
        let rows = try db.pool.query("SELECT count(*) FROM idempotency_keys").first?.decode(0, as: Int.self)
        #expect(rows == 1)
    }

    @Test func expiredAndAbandonedKeysAreTakenOver() throws {
        defer { app.stop() }
        #expect(try post("{}", key: "old").status == 201)
        try db.pool.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
        #expect(try post(#"{"other":1}"#, key: "old").header("Idempotent-Replayed") == nil)
        // A claim whose request died with its process (no answer for over 5 minutes).
        try db.pool.execute(
            "UPDATE idempotency_keys SET completed_at = NULL, created_at = now() - interval '6 minutes'")
        #expect(try post("{}", key: "old").status == 201)
        #expect(calls.withLock { $0 } == 3)
    }
}
