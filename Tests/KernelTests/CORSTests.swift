import HTTP
import Testing

@testable import Kernel

/// Browsers from listed origins may call the API with credentials; other origins get no CORS headers.
@Suite struct CORSTests {
    static let app = "https://app.example.com"

    func start() throws -> Application {
        let (app, _) = try startTestApplication(accessLog: false, corsOrigins: [Self.app]) { routes in
            routes.add(
                .put, "/v1/things/{id}", doc: RouteDoc(summary: "t", responses: [ResponseDoc(200, "ok")])
            ) { _ in Response(status: .ok, contentType: "text/plain", body: Array("ok".utf8)) }
        }
        return app
    }

    @Test func aPreflightFromAListedOriginIsAnswered() throws {
        let app = try start()
        defer { app.stop() }
        let r = try RawHTTP.request(
            "OPTIONS", port: app.port, "/v1/things/1",
            headers: [
                "Origin": Self.app, "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "Authorization, Content-Type, X-Evil",
            ])
        #expect(r.status == 204)
        #expect(r.header("Access-Control-Allow-Origin") == Self.app)
        #expect(r.header("Access-Control-Allow-Credentials") == "true")
        #expect(r.header("Access-Control-Allow-Methods")?.contains("PUT") == true)
        #expect(r.header("Access-Control-Allow-Headers") == "authorization, content-type")
        #expect(r.header("Access-Control-Max-Age") == "600")
    }

    @Test func actualRequestsAndErrorsCarryHeadersForListedOriginsOnly() throws {
        let app = try start()
        defer { app.stop() }
        let ok = try RawHTTP.request(
            "PUT", port: app.port, "/v1/things/1", headers: ["Origin": Self.app, "Content-Length": "0"])
        #expect(ok.status == 200)
        #expect(ok.header("Access-Control-Allow-Origin") == Self.app)
        #expect(ok.header("Access-Control-Expose-Headers")?.contains("X-Request-ID") == true)
        let missing = try RawHTTP.get(port: app.port, "/v1/nope", headers: ["Origin": Self.app])
        #expect(missing.status == 404)
        #expect(missing.header("Access-Control-Allow-Origin") == Self.app)

        let evil = try RawHTTP.request(
            "OPTIONS", port: app.port, "/v1/things/1",
            headers: ["Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"])
        #expect(evil.header("Access-Control-Allow-Origin") == nil)
        #expect(evil.header("Access-Control-Allow-Credentials") == nil)
        // No Origin (curl, mobile apps): untouched.
        let plain = try RawHTTP.get(port: app.port, "/healthz")
        #expect(plain.header("Access-Control-Allow-Origin") == nil)
    }

    @Test func originsAreValidatedAtStart() throws {
        let config = try AppConfig.load(from: Environment(["CORS_ORIGINS": "https://a.example, http://localhost:3000"]))
        #expect(config.corsOrigins == ["https://a.example", "http://localhost:3000"])
        for bad in ["*", "https://a.example/path", "a.example", "ftp://a.example"] {
            #expect(throws: ConfigError.self, "\(bad)") { try AppConfig.load(from: Environment(["CORS_ORIGINS": bad])) }
        }
    }
}
