import Foundation
import Testing

/// Redis is a cache (DESIGN §4): with it unreachable, authentication asks PostgreSQL for the
/// revocation marker, and revocation still takes effect at once.
@Suite struct RedisDownTests {
    @Test func revocationFallsBackToPostgreSQL() throws {
        // Port 1 on loopback: nothing listens, so every Redis call fails fast.
        let app = try AuthApp { $0.redisURL = "redis://127.0.0.1:1" }
        let a = try app.register()
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 200)
        #expect(try app.call("POST", "/v1/auth/logout-all", token: a.accessToken).status == 204)
        let after = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(after.status == 401)
        #expect(after.header("www-authenticate")?.contains("invalid_token") == true)
        let login = try app.call("POST", "/v1/auth/login", json: ["email": a.email, "password": a.password])
        #expect(login.status == 200)
        #expect(try app.call("GET", "/v1/me", token: login.string("access_token")).status == 200)
    }
}
