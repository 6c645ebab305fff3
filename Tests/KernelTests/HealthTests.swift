import HTTP
import Testing

@testable import Kernel

@Suite struct HealthTests {
    @Test func healthzExactBody() {
        let r = HealthEndpoints.healthz(Request(method: .get, target: "/healthz"))
        #expect(r.status == .ok)
        #expect(r.headers[.contentType] == "application/json")
        #expect(r.bodyBytes == Array(#"{"status":"ok"}"#.utf8))
    }

    @Test func readyWithNoChecks() {
        let r = try? HealthEndpoints.readyz(Readiness())(Request(method: .get, target: "/readyz"))
        #expect(r?.status == .ok)
        #expect(r?.bodyString == #"{"status":"ready","checks":{}}"#)
        #expect(r?.headers[.retryAfter] == nil)
    }

    @Test func nonCriticalFailureStaysReady() throws {
        let readiness = Readiness()
        readiness.register("postgres") { .ok }
        readiness.register("redis", critical: false) { .failed("connection refused") }
        let r = try HealthEndpoints.readyz(readiness)(Request(method: .get, target: "/readyz"))
        #expect(r.status == .ok)
        #expect(
            r.bodyString
                == #"{"status":"ready","checks":{"postgres":{"ok":true,"critical":true},"redis":{"ok":false,"critical":false,"detail":"connection refused"}}}"#
        )
    }

    @Test func criticalFailureIs503WithRetryAfter() throws {
        let readiness = Readiness()
        readiness.register("postgres") { .failed("timeout") }
        let r = try HealthEndpoints.readyz(readiness)(Request(method: .get, target: "/readyz"))
        #expect(r.status == .serviceUnavailable)
        #expect(r.headers[.retryAfter] == "5")
        let body = try #require(r.json)
        #expect(body["status"] as? String == "unready")
        #expect(((body["checks"] as? [String: Any])?["postgres"] as? [String: Any])?["detail"] as? String == "timeout")
    }

    @Test func drainingIs503AndSkipsChecks() throws {
        let readiness = Readiness()
        let ran = ByteBox()
        readiness.register("postgres") {
            Array("x".utf8).withUnsafeBytes { ran.append(contentsOf: $0) }
            return .ok
        }
        #expect(!readiness.isDraining)
        readiness.startDraining()
        #expect(readiness.isDraining)
        let r = try HealthEndpoints.readyz(readiness)(Request(method: .get, target: "/readyz"))
        #expect(r.status == .serviceUnavailable)
        #expect(r.headers[.retryAfter] != nil)
        #expect(r.json?["status"] as? String == "draining")
        #expect(ran.snapshot.isEmpty)
    }
}
