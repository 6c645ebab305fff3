import Foundation
import HTTP
import Logging
import Testing

@testable import Kernel

/// A real application on an ephemeral port, spoken to over sockets. Serialized: these tests (and the
/// bootstrap test) touch process-wide logging settings.
@Suite(.serialized) struct ApplicationTests {
    @Test func servesOperationalRoutesThroughTheFullChain() throws {
        let (app, logs) = try startTestApplication { routes in
            routes.get("/v1/items/{id}", doc: RouteDoc(summary: "item", responses: [])) { request in
                var request = request
                request.setUserID("u-7")
                guard request.parameters["id"] != "boom" else { throw CocoaError(.fileNoSuchFile) }
                return Response(status: .ok, contentType: "text/plain", body: Array("item".utf8))
            }
        }
        defer { app.stop() }
        #expect(app.port > 0)

        let health = try RawHTTP.get(port: app.port, "/healthz")
        #expect(health.status == 200)
        #expect(health.body == #"{"status":"ok"}"#)
        #expect(health.header("Content-Type") == "application/json")
        #expect(UUIDv7(health.header("X-Request-ID") ?? "") != nil)

        let item = try RawHTTP.get(port: app.port, "/v1/items/42", headers: ["X-Request-ID": "trace-1"])
        #expect(item.status == 200)
        #expect(item.header("X-Request-ID") == "trace-1")

        let failed = try RawHTTP.get(port: app.port, "/v1/items/boom")
        #expect(failed.status == 500)
        #expect(failed.header("Content-Type") == "application/problem+json")
        #expect(failed.header("X-Request-ID") != nil)

        let missing = try RawHTTP.get(port: app.port, "/nowhere")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type") == "application/problem+json")

        let metrics = try RawHTTP.get(port: app.port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type") == MetricsEndpoint.contentType)
        #expect(metrics.body.contains(#"http_requests_total{method="GET",route="/healthz",status="200"}"#))
        #expect(metrics.body.contains(#"http_requests_total{method="GET",route="/v1/items/{id}",status="200"}"#))
        #expect(metrics.body.contains(#"http_requests_total{method="GET",route="/v1/items/{id}",status="500"}"#))
        #expect(metrics.body.contains(#"http_requests_total{method="GET",route="unmatched",status="404"}"#))
        #expect(!metrics.body.contains("/v1/items/42"), "raw paths never become labels")
        #expect(metrics.body.contains("http_open_connections 1"), "gauges come from the server at scrape time")

        let openapi = try RawHTTP.get(port: app.port, "/openapi.json")
        #expect(openapi.status == 200)
        let doc = try JSONSerialization.jsonObject(with: Data(openapi.body.utf8)) as? [String: Any]
        #expect(doc?["openapi"] as? String == "3.1.0")

        #expect(app.stop())
        let access = logs.objects.filter { $0["msg"] as? String == "request" }
        let itemLine = try #require(access.first { $0["request_id"] as? String == "trace-1" })
        #expect(itemLine["route"] as? String == "/v1/items/{id}")
        #expect(itemLine["path"] as? String == "/v1/items/42")
        #expect(itemLine["user_id"] as? String == "u-7")
        #expect(itemLine["status"] as? Int == 200)
        #expect((itemLine["remote"] as? String)?.hasPrefix("127.0.0.1") == true)
        #expect(access.contains { $0["route"] as? String == "unmatched" && $0["status"] as? Int == 404 })
        let error = try #require(logs.objects.first { $0["level"] as? String == "error" })
        #expect(error["request_id"] as? String == failed.header("X-Request-ID"))
        #expect(logs.objects.contains { $0["msg"] as? String == "listening" && $0["port"] as? Int == app.port })
    }

    @Test func readyzTurns503WhenDraining() throws {
        let readiness = Readiness()
        let (app, _) = try startTestApplication(readiness: readiness)
        defer { app.stop() }
        #expect(try RawHTTP.get(port: app.port, "/readyz").status == 200)
        readiness.startDraining()
        let r = try RawHTTP.get(port: app.port, "/readyz")
        #expect(r.status == 503)
        #expect(r.header("Retry-After") != nil)
        #expect(r.body.contains(#""status":"draining""#))
    }

    @Test func accessLogCanBeTurnedOff() throws {
        let (app, logs) = try startTestApplication(accessLog: false)
        #expect(try RawHTTP.get(port: app.port, "/healthz").status == 200)
        #expect(app.stop())
        #expect(!logs.objects.contains { $0["msg"] as? String == "request" })
        #expect(logs.objects.contains { $0["msg"] as? String == "listening" })
    }

    @Test func stopDrainsAndRefusesNewConnections() throws {
        let (app, _) = try startTestApplication()
        let port = app.port
        #expect(app.stop())
        #expect(app.readiness.isDraining)
        #expect(throws: (any Error).self) { try RawHTTP.get(port: port, "/healthz") }
    }

    @Test func loggingBootstrapIsRepeatable() {
        let a = LogCapture()
        let b = LogCapture()
        LoggingBootstrap.bootstrap(level: .info, format: .json, sink: a.sink)
        LoggingBootstrap.bootstrap(level: .debug, format: .text, sink: b.sink)
        Logger(label: "second").debug("to b")
        #expect(b.lines.contains { $0.contains("second: to b") })
        #expect(a.lines.isEmpty)
        LoggingBootstrap.bootstrap(level: .info, format: .json, sink: .standardOutput)
    }
}
