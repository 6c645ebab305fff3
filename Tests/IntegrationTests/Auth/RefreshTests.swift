import Foundation
import Testing

/// Refresh-token rotation, reuse detection (the whole family dies), logout and logout-all.
@Suite struct RefreshTests {
    func refresh(_ app: LeakCheckedApp, _ token: String) throws -> APIResponse {
        try app.call("POST", "/v1/auth/refresh", json: ["refresh_token": token])
    }

    func login(_ app: LeakCheckedApp, _ a: Account) throws -> (access: String, refresh: String) {
        let r = try app.call("POST", "/v1/auth/login", json: ["email": a.email, "password": a.password])
        guard r.status == 200, let access = r.string("access_token"), let refresh = r.string("refresh_token") else {
            throw TestFailure("login answered \(r.status): \(r.text)")
        }
        return (access, refresh)
    }

    @Test func refreshingReturnsANewPairAndSpendsTheOldToken() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let r = try refresh(app, a.refreshToken)
        try #require(r.status == 200, "\(r.text)")
        #expect(Set(r.json.keys) == ["user", "access_token", "refresh_token", "token_type", "expires_in"])
        #expect(r.string("token_type") == "Bearer")
        #expect(r.json["expires_in"] as? Int == 900)
        #expect((r.json["user"] as? [String: Any])?["id"] as? String == a.id)
        let newRefresh = try #require(r.string("refresh_token"))
        let newAccess = try #require(r.string("access_token"))
        #expect(newRefresh != a.refreshToken)
        #expect(newAccess != a.accessToken)
        let me = try app.call("GET", "/v1/me", token: newAccess)
        #expect(me.status == 200)
        #expect(me.string("id") == a.id)

        // The new token works in turn.
        let next = try refresh(app, newRefresh)
        #expect(next.status == 200, "\(next.text)")

        for junk in ["", "rt_short", "rt_" + String(repeating: "A", count: 43), a.accessToken] {
            let bad = try refresh(app, junk)
            #expect(bad.status == 401, "\(junk.prefix(10)): \(bad.text)")
            #expect(isProblem(bad))
            #expect(bad.string("access_token") == nil)
        }
    }

    @Test func reusingARotatedTokenRevokesItsWholeFamilyOnly() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let other = try login(app, a)  // a second session (family) of the same user

        let first = try refresh(app, a.refreshToken)
        let second = try refresh(app, try #require(first.string("refresh_token")))
        try #require(second.status == 200, "\(second.text)")
        let newest = try #require(second.string("refresh_token"))

        // The thief (or the victim) presents the spent token.
        let reuse = try refresh(app, a.refreshToken)
        #expect(reuse.status == 401, "\(reuse.text)")
        #expect(isProblem(reuse))
        #expect(reuse.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(reuse.string("refresh_token") == nil)
        // The newest token of that family is dead too.
        let newestAfter = try refresh(app, newest)
        #expect(newestAfter.status == 401, "\(newestAfter.text)")

        let audit = try app.app.database.pool.query(
            "SELECT actor_id, detail->>'family_id' FROM audit_log WHERE action = 'refresh_reuse'")
        #expect(audit.count == 1)
        #expect(try audit.first?.decode(0, as: UUID.self) == UUID(uuidString: a.id))
        #expect(try audit.first?.decode(1, as: String.self) != nil)

        // The other session is untouched.
        let otherRefresh = try refresh(app, other.refresh)
        #expect(otherRefresh.status == 200, "\(otherRefresh.text)")
        #expect(try app.call("GET", "/v1/me", token: other.access).status == 200)
    }

    @Test func logoutEndsThatSessionOnly() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let other = try login(app, a)
        let out = try app.call("POST", "/v1/auth/logout", json: ["refresh_token": a.refreshToken])
        #expect(out.status == 204, "\(out.text)")
        #expect(out.raw.body.isEmpty)
        let dead = try refresh(app, a.refreshToken)
        #expect(dead.status == 401, "\(dead.text)")
        // Logging out again, or with a token we never issued, is still "you are logged out".
        #expect(try app.call("POST", "/v1/auth/logout", json: ["refresh_token": a.refreshToken]).status == 204)
        #expect(try app.call("POST", "/v1/auth/logout", json: ["refresh_token": "rt_nonsense"]).status == 204)
        // A spent token in a logged-out family is not "reuse": no alarm, no other family touched.
        let audit = try app.app.database.pool.query(
            "SELECT count(*)::int FROM audit_log WHERE action = 'refresh_reuse'")
        #expect(try audit.first?.decode(0, as: Int.self) == 0)
        #expect(try refresh(app, other.refresh).status == 200)
    }

    @Test func logoutAllEndsEverySessionAndTheCurrentAccessToken() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let other = try login(app, a)
        let bystander = try app.register()
        try #require(try app.call("GET", "/v1/me", token: a.accessToken).status == 200)

        let unauthenticated = try app.call("POST", "/v1/auth/logout-all")
        #expect(unauthenticated.status == 401, "\(unauthenticated.text)")

        let out = try app.call("POST", "/v1/auth/logout-all", token: a.accessToken)
        #expect(out.status == 204, "\(out.text)")
        for token in [a.accessToken, other.access] {
            let me = try app.call("GET", "/v1/me", token: token)
            #expect(me.status == 401, "\(me.text)")
            #expect(hasInvalidTokenChallenge(me))
        }
        for token in [a.refreshToken, other.refresh] {
            #expect(try refresh(app, token).status == 401)
        }
        let live = try app.app.database.pool.query(
            "SELECT count(*)::int FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL",
            [try #require(UUID(uuidString: a.id))])
        #expect(try live.first?.decode(0, as: Int.self) == 0)
        let audit = try app.app.database.pool.query("SELECT count(*)::int FROM audit_log WHERE action = 'logout_all'")
        #expect(try audit.first?.decode(0, as: Int.self) == 1)

        // Another user is untouched, and signing in again works.
        #expect(try app.call("GET", "/v1/me", token: bystander.accessToken).status == 200)
        #expect(try refresh(app, bystander.refreshToken).status == 200)
        let again = try login(app, a)
        #expect(try app.call("GET", "/v1/me", token: again.access).status == 200)
    }
}
