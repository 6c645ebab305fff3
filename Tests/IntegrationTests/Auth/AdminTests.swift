import Foundation
import Postgres
import TestSupport
import Testing

/// `/v1/admin/*`: user search, role and disabled changes, the audit log; and the log's append-only
/// table.
@Suite struct AdminTests {
    @Test func nonAdminsAreKeptOut() throws {
        let app = try AuthApp()
        let user = try app.register()
        let other = try app.register()
        let leaks = LeakGuard(secrets: [user.password, other.password])
        var responses: [APIResponse] = []
        for (method, path, body) in [
            ("GET", "/v1/admin/users", nil), ("GET", "/v1/admin/users?q=example", nil),
            ("PATCH", "/v1/admin/users/\(other.id)", ["role": "admin"]), ("GET", "/v1/admin/audit-log", nil),
        ] as [(String, String, [String: Any]?)] {
            let r = try app.call(method, path, json: body, token: user.accessToken)
            #expect(r.status == 403, "\(method) \(path)")
            let anonymous = try app.call(method, path, json: body)
            #expect(anonymous.status == 401, "\(method) \(path)")
            responses += [r, anonymous]
        }
        #expect(try app.call("GET", "/v1/me", token: other.accessToken).string("role") == "user")
        leaks.check(responses)
    }

    @Test func searchAndPaginateUsers() throws {
        let app = try AuthApp()
        let admin = try app.register()
        try app.promote(admin)
        let token = try AccountKit.accessToken(app, admin)
        let tag = AccountKit.tag()
        var expected: [String] = []
        for i in 0..<3 { expected.append(try app.register(email: "pager-\(i)-\(tag)@example.com").id) }
        _ = try app.register(email: "someone-else@example.com")
        var leaks = LeakGuard(secrets: [admin.password, "a fine long password"])

        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            var path = "/v1/admin/users?q=\(tag.uppercased())&limit=1"
            if let cursor {
                path += "&cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
            let page = try app.call("GET", path, token: token)
            #expect(page.status == 200)
            leaks.check(page)
            let data = try #require(page.json["data"] as? [[String: Any]])
            #expect(data.count <= 1)
            for user in data {
                seen.append(user["id"] as? String ?? "")
                #expect((user["email"] as? String)?.contains(tag) == true)
                #expect(user["password_hash"] == nil)
            }
            cursor = page.json["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen.sorted() == expected.sorted())
        #expect(Set(seen).count == seen.count)
        #expect(pages >= 3)

        // Part of an address, any case; LIKE wildcards are literal.
        let partial = try app.call("GET", "/v1/admin/users?q=SOMEONE-ELSE%40EXAMPLE", token: token)
        #expect(
            (partial.json["data"] as? [[String: Any]])?.map { $0["email"] as? String } == ["someone-else@example.com"])
        let wildcard = try app.call("GET", "/v1/admin/users?q=%25", token: token)
        #expect(wildcard.status == 200)
        #expect((wildcard.json["data"] as? [Any])?.isEmpty == true)
        let all = try app.call("GET", "/v1/admin/users?limit=100", token: token)
        #expect((all.json["data"] as? [Any])?.count == 5)
        #expect(try app.call("GET", "/v1/admin/users?cursor=garbage", token: token).status == 400)
        #expect(try app.call("GET", "/v1/admin/users?limit=0", token: token).status == 400)
        leaks.add(admin.refreshToken)
        leaks.check(partial, wildcard, all)
    }

    @Test func changingRolesAndDisabling() throws {
        let app = try AuthApp()
        let admin = try app.register()
        try app.promote(admin)
        let token = try AccountKit.accessToken(app, admin)
        let user = try app.register()
        var leaks = LeakGuard(secrets: [admin.password, user.password])
        #expect(try app.call("GET", "/v1/admin/users", token: user.accessToken).status == 403)

        let promoted = try app.call("PATCH", "/v1/admin/users/\(user.id)", json: ["role": "admin"], token: token)
        #expect(promoted.status == 200)
        #expect(promoted.string("role") == "admin")
        // The old token says "user": refused at once. A refreshed one says "admin" and works.
        #expect(try app.call("GET", "/v1/me", token: user.accessToken).status == 401)
        let refreshed = try AccountKit.refresh(app, user.refreshToken)
        #expect(refreshed.status == 200)
        let newToken = try #require(refreshed.string("access_token"))
        #expect(try AccountKit.claims(newToken)["role"] as? String == "admin")
        #expect(try app.call("GET", "/v1/admin/users", token: newToken).status == 200)
        // An admin-scoped key works while its owner is an admin, and not a moment longer.
        let key = try AccountKit.createKey(app, newToken, scopes: ["admin"])
        leaks.add(key)
        #expect(try app.call("GET", "/v1/admin/users", token: key).status == 200)
        let demoted = try app.call("PATCH", "/v1/admin/users/\(user.id)", json: ["role": "user"], token: token)
        #expect(demoted.string("role") == "user")
        #expect(try app.call("GET", "/v1/admin/users", token: key).status == 403)
        #expect(try app.call("GET", "/v1/admin/users", token: newToken).status == 401)
        #expect(
            try app.call("PATCH", "/v1/admin/users/\(user.id)", json: ["role": "admin"], token: token).status == 200)
        let current = try AccountKit.refresh(app, try #require(refreshed.string("refresh_token")))
        let currentToken = try #require(current.string("access_token"))
        #expect(try app.call("GET", "/v1/admin/users", token: currentToken).status == 200)
        let audit = try app.database.pool.query(
            "SELECT detail->>'from', detail->>'to' FROM audit_log WHERE action = 'role_change' AND target_id = $1 ORDER BY id",
            [try #require(UUID(uuidString: user.id))])
        #expect(audit.count == 3)
        #expect(try audit.first?.decode(0, as: String.self) == "user")
        #expect(try audit.first?.decode(1, as: String.self) == "admin")

        // Not on oneself.
        let selfDisable = try app.call("PATCH", "/v1/admin/users/\(admin.id)", json: ["disabled": true], token: token)
        #expect(selfDisable.status == 422)
        let selfDemote = try app.call("PATCH", "/v1/admin/users/\(admin.id)", json: ["role": "user"], token: token)
        #expect(selfDemote.status == 422)
        #expect(try app.call("GET", "/v1/admin/users", token: token).status == 200)

        #expect(try app.call("PATCH", "/v1/admin/users/\(user.id)", json: [:], token: token).status == 400)
        #expect(try app.call("PATCH", "/v1/admin/users/\(user.id)", json: ["role": "root"], token: token).status == 400)
        let unknown = UUID().uuidString.lowercased()
        #expect(try app.call("PATCH", "/v1/admin/users/\(unknown)", json: ["role": "user"], token: token).status == 404)

        // Disabling ends everything at once; enabling lets them sign in again.
        let disabled = try app.call("PATCH", "/v1/admin/users/\(user.id)", json: ["disabled": true], token: token)
        #expect(disabled.status == 200)
        #expect(disabled.json["disabled"] as? Bool == true)
        #expect(try app.call("GET", "/v1/me", token: currentToken).status == 401)
        #expect(try app.call("GET", "/v1/me", token: key).status == 401)
        #expect(try AccountKit.refresh(app, try #require(current.string("refresh_token"))).status == 401)
        #expect(try AccountKit.login(app, user.email, user.password).status == 403)
        let enabled = try app.call("PATCH", "/v1/admin/users/\(user.id)", json: ["disabled": false], token: token)
        #expect(enabled.status == 200)
        #expect(try AccountKit.login(app, user.email, user.password).status == 200)
        #expect(try AccountKit.auditCount(app, action: "user_disabled", actor: admin.id) == 1)
        #expect(try AccountKit.auditCount(app, action: "user_enabled", actor: admin.id) == 1)
        leaks.check(promoted, refreshed, demoted, current, selfDisable, selfDemote, disabled, enabled)
    }

    @Test func auditLogFilters() throws {
        let app = try AuthApp()
        let admin = try app.register()
        try app.promote(admin)
        let token = try AccountKit.accessToken(app, admin)
        let user = try app.register()
        for _ in 0..<3 { #expect(try AccountKit.login(app, user.email, user.password).status == 200) }
        #expect(try AccountKit.login(app, user.email, "wrong password here").status == 401)
        let leaks = LeakGuard(secrets: [admin.password, user.password])

        let r = try app.call("GET", "/v1/admin/audit-log?actor=\(user.id)&action=login_success", token: token)
        #expect(r.status == 200)
        let rows = try #require(r.json["data"] as? [[String: Any]])
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0["action"] as? String == "login_success" && $0["actor_id"] as? String == user.id })
        let ids = rows.compactMap { $0["id"] as? String }
        #expect(ids == ids.sorted(by: >))
        let times = rows.compactMap { ($0["at"] as? String).flatMap(Self.date) }
        #expect(times.count == 3)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 >= $1 })

        // One action, everybody: the admin's own sign-in is there too; pages do not overlap.
        var seen: [String] = []
        var cursor: String?
        repeat {
            var path = "/v1/admin/audit-log?action=login_success&limit=2"
            if let cursor {
                path += "&cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
            let page = try app.call("GET", path, token: token)
            #expect(page.status == 200)
            seen += ((page.json["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            cursor = page.json["next_cursor"] as? String
        } while cursor != nil && seen.count < 20
        #expect(seen.count == 4)
        #expect(Set(seen).count == 4)
        #expect(seen == seen.sorted(by: >))

        let failures = try app.call("GET", "/v1/admin/audit-log?actor=\(user.id)&action=login_failure", token: token)
        #expect((failures.json["data"] as? [Any])?.count == 1)

        let badAction = try app.call("GET", "/v1/admin/audit-log?action=drop_tables", token: token)
        #expect(badAction.status == 400)
        #expect(AccountKit.errorFields(badAction) == ["action"])
        let badActor = try app.call("GET", "/v1/admin/audit-log?actor=someone", token: token)
        #expect(badActor.status == 400)
        #expect(AccountKit.errorFields(badActor) == ["actor"])
        leaks.check(r, failures, badAction, badActor)
    }

    static func date(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    @Test func auditLogIsAppendOnly() throws {
        let app = try AuthApp()
        let user = try app.register()
        let pool = app.database.pool
        #expect(try AccountKit.auditCount(app, action: "register", actor: user.id) == 1)
        #expect(throws: PostgresError.self) {
            try pool.execute("UPDATE audit_log SET action = 'nothing_happened'")
        }
        #expect(throws: PostgresError.self) {
            try pool.execute("DELETE FROM audit_log")
        }
        #expect(throws: PostgresError.self) {
            try pool.execute("TRUNCATE audit_log")
        }
        #expect(try AccountKit.auditCount(app, action: "register", actor: user.id) == 1)
    }
}
