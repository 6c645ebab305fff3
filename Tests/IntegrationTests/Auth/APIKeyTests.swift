import Foundation
import Postgres
import TestSupport
import Testing

/// API keys: shown once, stored as digests, listed by prefix, scoped, expiring, revocable.
@Suite struct APIKeyTests {
    @Test func createListUseRevoke() throws {
        let app = try AuthApp()
        let a = try app.register()
        let b = try app.register()
        var leaks = LeakGuard(secrets: [a.password, b.password])

        let created = try app.call(
            "POST", "/v1/api-keys",
            json: ["name": "  laptop script ", "scopes": ["trips:write", "trips:read", "trips:read"]],
            token: a.accessToken)
        #expect(created.status == 201)
        LeakGuard(secrets: [a.password]).check(created)
        let key = try #require(created.string("key"))
        let id = try #require(created.string("id"))
        #expect(key.hasPrefix("tsk_"))
        #expect(key.count > 40)
        let prefix = try #require(created.string("prefix"))
        #expect(key.hasPrefix(prefix))
        #expect(prefix.count < key.count - 20)
        #expect(created.string("name") == "laptop script")
        #expect(created.json["scopes"] as? [String] == ["trips:read", "trips:write"])
        leaks.add(key)

        let list = try app.call("GET", "/v1/api-keys", token: a.accessToken)
        #expect(list.status == 200)
        let items = try #require(list.json["data"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["id"] as? String == id)
        #expect(items.first?["prefix"] as? String == prefix)
        #expect(items.first?["key"] == nil)
        #expect(items.first?["last_used_at"] is NSNull || items.first?["last_used_at"] == nil)

        // Stored as a digest.
        let stored = try app.database.pool.query(
            "SELECT key_hash FROM api_keys WHERE id = $1", [try #require(UUID(uuidString: id))])[0]
            .decode(0, as: Data.self)
        #expect(stored == (try AccountKit.digest(key)))
        #expect(stored.range(of: Data(key.utf8)) == nil)

        // Used as a bearer token: it acts as its owner and records the use.
        let me = try app.call("GET", "/v1/me", token: key)
        #expect(me.status == 200)
        #expect(me.string("id") == a.id)
        let afterUse = try app.call("GET", "/v1/api-keys", token: a.accessToken)
        let used = (afterUse.json["data"] as? [[String: Any]])?.first
        #expect(used?["last_used_at"] is String)

        // Someone else's key is not found, and stays alive.
        let bKey = try AccountKit.createKey(app, b.accessToken, scopes: ["trips:read"])
        leaks.add(bKey)
        let bID = try #require(
            (try app.call("GET", "/v1/api-keys", token: b.accessToken).json["data"] as? [[String: Any]])?.first?["id"]
                as? String)
        #expect(try app.call("GET", "/v1/api-keys", token: b.accessToken).text.contains(id) == false)
        let foreign = try app.call("DELETE", "/v1/api-keys/\(bID)", token: a.accessToken)
        #expect(foreign.status == 404)
        #expect(try app.call("GET", "/v1/me", token: bKey).string("id") == b.id)
        #expect(try app.call("DELETE", "/v1/api-keys/not-a-uuid", token: a.accessToken).status == 404)

        // A key cannot revoke keys, its own included.
        #expect(try app.call("DELETE", "/v1/api-keys/\(id)", token: key).status == 403)

        let revoked = try app.call("DELETE", "/v1/api-keys/\(id)", token: a.accessToken)
        #expect(revoked.status == 204)
        let dead = try app.call("GET", "/v1/me", token: key)
        #expect(dead.status == 401)
        #expect(dead.header("WWW-Authenticate")?.contains("invalid_token") == true)
        let emptied = try app.call("GET", "/v1/api-keys", token: a.accessToken)
        #expect((emptied.json["data"] as? [Any])?.isEmpty == true)
        #expect(try app.call("DELETE", "/v1/api-keys/\(id)", token: a.accessToken).status == 404)

        #expect(try AccountKit.auditCount(app, action: "api_key_created", actor: a.id) == 1)
        #expect(try AccountKit.auditCount(app, action: "api_key_revoked", actor: a.id) == 1)
        leaks.check(list, me, afterUse, foreign, revoked, dead, emptied)
    }

    @Test func scopesAreEnforced() throws {
        let app = try AuthApp()
        let admin = try app.register()
        try app.promote(admin)
        let adminToken = try AccountKit.accessToken(app, admin)
        let user = try app.register()
        var leaks = LeakGuard(secrets: [admin.password, user.password])

        // An admin's key without the admin scope is refused on admin endpoints.
        let readOnly = try AccountKit.createKey(app, adminToken, scopes: ["trips:read"])
        leaks.add(readOnly)
        let narrow = try app.call("GET", "/v1/admin/users", token: readOnly)
        #expect(narrow.status == 403)
        let challenge = narrow.header("WWW-Authenticate") ?? ""
        #expect(challenge.contains("insufficient_scope"))
        #expect(challenge.contains("scope=\"admin\""))
        #expect(try app.call("GET", "/v1/admin/users", token: adminToken).status == 200)

        let adminKey = try AccountKit.createKey(app, adminToken, scopes: ["admin"])
        leaks.add(adminKey)
        let wide = try app.call("GET", "/v1/admin/users", token: adminKey)
        #expect(wide.status == 200)
        #expect(try app.call("GET", "/v1/admin/audit-log", token: adminKey).status == 200)

        // Keys never mint keys, not even an admin key.
        let minted = try app.call(
            "POST", "/v1/api-keys", json: ["name": "child", "scopes": ["trips:read"]], token: adminKey)
        #expect(minted.status == 403)
        #expect(minted.string("key") == nil)

        // Only an admin may ask for the admin scope.
        let userToken = user.accessToken
        let escalate = try app.call("POST", "/v1/api-keys", json: ["name": "x", "scopes": ["admin"]], token: userToken)
        #expect(escalate.status == 400)
        #expect(AccountKit.errorFields(escalate) == ["scopes"])
        for scopes in [["trips:delete"], [], ["trips:read", "root"]] {
            let r = try app.call("POST", "/v1/api-keys", json: ["name": "x", "scopes": scopes], token: userToken)
            #expect(r.status == 400, "scopes \(scopes)")
            #expect(AccountKit.errorFields(r) == ["scopes"], "scopes \(scopes)")
            leaks.check(r)
        }
        let past = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        let stale = try app.call(
            "POST", "/v1/api-keys", json: ["name": "x", "scopes": ["trips:read"], "expires_at": past], token: userToken)
        #expect(stale.status == 400)
        #expect(AccountKit.errorFields(stale) == ["expires_at"])
        let unnamed = try app.call(
            "POST", "/v1/api-keys", json: ["name": " ", "scopes": ["trips:read"]], token: userToken)
        #expect(unnamed.status == 400)
        #expect(AccountKit.errorFields(unnamed) == ["name"])
        #expect((try app.call("GET", "/v1/api-keys", token: userToken).json["data"] as? [Any])?.isEmpty == true)

        // A key that expires: fine until then, refused after (expiry set back in the database).
        let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let expiring = try app.call(
            "POST", "/v1/api-keys", json: ["name": "temp", "scopes": ["trips:read"], "expires_at": future],
            token: userToken)
        #expect(expiring.status == 201)
        #expect(expiring.string("expires_at") != nil)
        let temp = try #require(expiring.string("key"))
        let tempID = try #require(expiring.string("id").flatMap(UUID.init(uuidString:)))
        leaks.add(temp)
        #expect(try app.call("GET", "/v1/me", token: temp).status == 200)
        let changed = try app.database.pool.execute(
            "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [tempID])
        #expect(changed == 1)
        let expired = try app.call("GET", "/v1/me", token: temp)
        #expect(expired.status == 401)
        #expect(expired.header("WWW-Authenticate")?.contains("invalid_token") == true)

        // A user's key on an admin endpoint: forbidden by role even with a session.
        #expect(try app.call("GET", "/v1/admin/users", token: userToken).status == 403)
        leaks.check(narrow, wide, minted, escalate, stale, unnamed, expired)
    }
}
