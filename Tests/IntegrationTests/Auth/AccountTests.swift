import Crypto
import Foundation
import Postgres
import TestSupport
import Testing

/// `/v1/me`: reading and changing one's own account, changing the password, deleting the account.
@Suite struct AccountTests {
    @Test func meNeedsABearerToken() throws {
        let app = try AuthApp()
        let a = try app.register(name: "Ana Lima")
        var leaks = LeakGuard(secrets: [a.password])

        let anonymous = try app.call("GET", "/v1/me")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"travelsense\"") == true)
        #expect(anonymous.header("Content-Type")?.hasPrefix("application/problem+json") == true)

        let garbage = try app.call("GET", "/v1/me", token: "not-a-token")
        #expect(garbage.status == 401)
        #expect(garbage.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)

        let me = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(me.status == 200)
        #expect(me.string("id") == a.id)
        #expect(me.string("email") == a.email)
        #expect(me.string("display_name") == "Ana Lima")
        #expect(me.string("role") == "user")
        #expect(me.json["email_verified"] as? Bool == false)
        #expect(me.json["two_factor_enabled"] as? Bool == false)
        leaks.add(a.refreshToken)
        leaks.check(anonymous, garbage, me)
    }

    @Test func displayNameIsValidated() throws {
        let app = try AuthApp()
        let a = try app.register()
        let leaks = LeakGuard(secrets: [a.password])
        for bad in ["", "   ", "bell\u{07}name", "line\nbreak", String(repeating: "x", count: 101)] {
            let r = try app.call("PATCH", "/v1/me", json: ["display_name": bad], token: a.accessToken)
            #expect(r.status == 400, "display_name \(bad.debugDescription)")
            #expect(AccountKit.errorFields(r) == ["display_name"], "display_name \(bad.debugDescription)")
            leaks.check(r)
        }
        // Every bad field is named at once.
        let both = try app.call(
            "PATCH", "/v1/me", json: ["display_name": "", "email": "not an address"], token: a.accessToken)
        #expect(both.status == 400)
        #expect(AccountKit.errorFields(both) == ["display_name", "email"])

        let ok = try app.call("PATCH", "/v1/me", json: ["display_name": "  Ana Lima  "], token: a.accessToken)
        #expect(ok.status == 200)
        #expect(ok.string("display_name") == "Ana Lima")
        let me = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(me.string("display_name") == "Ana Lima")
        leaks.check(both, ok, me)
    }

    @Test func changingTheEmailNeedsANewVerification() throws {
        let app = try AuthApp()
        let tag = AccountKit.tag()
        let a = try app.register(email: "first-\(tag)@example.com")
        let b = try app.register(email: "other-\(tag)@example.com")
        let leaks = LeakGuard(secrets: [a.password, b.password])

        // Verified first, so the change visibly resets it.
        let first = try #require(app.waitForToken(to: a.email, containing: AccountKit.verifyMarker))
        #expect(try app.call("POST", "/v1/auth/email/verify", json: ["token": first]).status == 204)
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).json["email_verified"] as? Bool == true)

        let newEmail = "moved-\(tag)@example.com"
        let changed = try app.call(
            "PATCH", "/v1/me", json: ["email": " Moved-\(tag)@Example.COM "], token: a.accessToken)
        #expect(changed.status == 200)
        #expect(changed.string("email") == newEmail)
        #expect(changed.json["email_verified"] as? Bool == false)
        let me = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(me.string("email") == newEmail)
        #expect(me.json["email_verified"] as? Bool == false)

        // The verification goes to the NEW address, and it verifies it.
        let token = try #require(app.waitForToken(to: newEmail, containing: AccountKit.verifyMarker))
        #expect(token != first)
        #expect(try app.call("POST", "/v1/auth/email/verify", json: ["token": token]).status == 204)
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).json["email_verified"] as? Bool == true)

        // Another account's address, however it is spelt.
        let taken = try app.call("PATCH", "/v1/me", json: ["email": b.email.uppercased()], token: a.accessToken)
        #expect(taken.status == 409)
        #expect(AccountKit.errorFields(taken) == ["email"])
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).string("email") == newEmail)

        // Sign-in follows the address.
        #expect(try AccountKit.login(app, newEmail, a.password).status == 200)
        #expect(try AccountKit.login(app, a.email, a.password).status == 401)

        #expect(try AccountKit.auditCount(app, action: "email_change", actor: a.id) == 1)
        #expect(try AccountKit.auditCount(app, action: "email_change", actor: b.id) == 0)
        leaks.check(changed, me, taken)
    }

    @Test func changingThePasswordEndsOtherSessions() throws {
        let app = try AuthApp()
        let a = try app.register()
        let other = try AccountKit.login(app, a.email, a.password)
        #expect(other.status == 200)
        let otherRefresh = try #require(other.string("refresh_token"))
        let newPassword = "a different long passphrase"
        let leaks = LeakGuard(secrets: [a.password, newPassword])

        let wrong = try app.call(
            "POST", "/v1/me/password", json: ["current_password": "not the password", "new_password": newPassword],
            token: a.accessToken)
        #expect(wrong.status == 403)
        let common = try app.call(
            "POST", "/v1/me/password", json: ["current_password": a.password, "new_password": "12345678"],
            token: a.accessToken)
        #expect(common.status == 400)
        #expect(AccountKit.errorFields(common) == ["new_password"])
        let short = try app.call(
            "POST", "/v1/me/password", json: ["current_password": a.password, "new_password": "short"],
            token: a.accessToken)
        #expect(short.status == 400)
        // Neither refusal changed anything.
        #expect(try AccountKit.login(app, a.email, a.password).status == 200)

        let changed = try app.call(
            "POST", "/v1/me/password", json: ["current_password": a.password, "new_password": newPassword],
            token: a.accessToken)
        #expect(changed.status == 204)

        // This session continues; the other one is over.
        let mine = try AccountKit.refresh(app, a.refreshToken)
        #expect(mine.status == 200)
        #expect(try app.call("GET", "/v1/me", token: mine.string("access_token")).status == 200)
        #expect(try AccountKit.refresh(app, otherRefresh).status == 401)

        #expect(try AccountKit.login(app, a.email, newPassword).status == 200)
        #expect(try AccountKit.login(app, a.email, a.password).status == 401)
        #expect(try AccountKit.auditCount(app, action: "password_change", actor: a.id) == 1)
        leaks.check(wrong, common, short, changed, mine)
    }

    @Test func deletingTheAccount() throws {
        let app = try AuthApp()
        let a = try app.register(name: "Ana Lima")
        let key = try AccountKit.createKey(app, a.accessToken, scopes: ["trips:read"])
        #expect(try app.call("GET", "/v1/me", token: key).status == 200)
        let leaks = LeakGuard(secrets: [a.password, key])

        let wrong = try app.call("DELETE", "/v1/me", json: ["password": "not the password"], token: a.accessToken)
        #expect(wrong.status == 403)
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 200)

        let deleted = try app.call("DELETE", "/v1/me", json: ["password": a.password], token: a.accessToken)
        #expect(deleted.status == 204)

        #expect(try AccountKit.login(app, a.email, a.password).status == 401)
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 401)
        #expect(try AccountKit.refresh(app, a.refreshToken).status == 401)
        let byKey = try app.call("GET", "/v1/me", token: key)
        #expect(byKey.status == 401)
        #expect(byKey.header("WWW-Authenticate")?.contains("invalid_token") == true)

        let aID = try #require(UUID(uuidString: a.id))
        let row = try #require(
            try app.database.pool.query(
                """
                SELECT email, display_name, password_hash IS NULL, deleted_at IS NOT NULL, totp_secret IS NULL
                FROM users WHERE id = $1
                """, [aID]
            ).first)
        #expect(try row.decode(0, as: String.self) == "deleted+\(a.id)@deleted.invalid")
        #expect(try row.decode(1, as: String.self) == "Deleted user")
        #expect(try row.decode(2, as: Bool.self))
        #expect(try row.decode(3, as: Bool.self))
        #expect(try row.decode(4, as: Bool.self))
        #expect(try AccountKit.auditCount(app, action: "account_deleted", actor: a.id) == 1)

        // The address is free again, for a different account.
        let again = try app.register(email: a.email, password: "yet another long password")
        #expect(again.id != a.id)
        #expect(try app.call("GET", "/v1/me", token: again.accessToken).string("email") == a.email)
        leaks.check(wrong, deleted, byKey)
    }

    /// Other modules register hooks on `services.accountDeletion`; they run inside the deletion's
    /// transaction. Trips registers its hook with issue 5: a trip the user owns is handed to a
    /// co-owner when it has one, and deleted otherwise.
    @Test func deletionHooksRunInsideTheTransaction() throws {
        let app = try AuthApp()
        _ = try app.database.pool.execute("CREATE TABLE deletion_hook_runs (user_id uuid NOT NULL)")
        let failing = Locked<Set<UUID>>([])
        app.services.accountDeletion.register("test-record") { user, c in
            _ = try c.execute("INSERT INTO deletion_hook_runs (user_id) VALUES ($1)", [user])
        }
        app.services.accountDeletion.register("test-fail") { user, _ in
            if failing.withLock({ $0.contains(user) }) { throw TestFailure("hook refuses \(user)") }
        }

        let a = try app.register()
        let aID = try #require(UUID(uuidString: a.id))
        #expect(try app.call("DELETE", "/v1/me", json: ["password": a.password], token: a.accessToken).status == 204)
        #expect(try AccountKit.hookRuns(app, aID) == 1)

        // A hook that throws rolls everything back, the other hook's insert included.
        let b = try app.register()
        let bID = try #require(UUID(uuidString: b.id))
        failing.withLock { _ = $0.insert(bID) }
        let refused = try app.call("DELETE", "/v1/me", json: ["password": b.password], token: b.accessToken)
        #expect(refused.status == 500)
        #expect(!refused.text.contains("hook refuses"))
        LeakGuard(secrets: [b.password]).check(refused)
        #expect(try AccountKit.hookRuns(app, bID) == 0)
        #expect(try app.call("GET", "/v1/me", token: b.accessToken).string("email") == b.email)
        #expect(try AccountKit.refresh(app, b.refreshToken).status == 200)
        #expect(try AccountKit.login(app, b.email, b.password).status == 200)
        #expect(try AccountKit.auditCount(app, action: "account_deleted", actor: b.id) == 0)
        let live = try app.database.pool.query(
            "SELECT deleted_at IS NULL AND password_hash IS NOT NULL FROM users WHERE id = $1", [bID])
        #expect(try live.first?.decode(0, as: Bool.self) == true)
    }
}

/// Asserts that response bodies carry no credential and nothing of how credentials are stored:
/// the words of the schema and the hash scheme, and every secret the test has handed out so far.
struct LeakGuard {
    static let markers = ["scrypt", "password_hash", "token_hash", "key_hash", "code_hash"]
    var secrets: [String]

    init(secrets: [String] = []) {
        self.secrets = secrets
    }

    mutating func add(_ secret: String) { secrets.append(secret) }

    func check(_ responses: APIResponse..., sourceLocation: SourceLocation = #_sourceLocation) {
        check(responses, sourceLocation: sourceLocation)
    }

    func check(_ responses: [APIResponse], sourceLocation: SourceLocation = #_sourceLocation) {
        for r in responses {
            let body = r.text
            for marker in Self.markers {
                #expect(
                    !body.lowercased().contains(marker), "\(r.status) body names \(marker)",
                    sourceLocation: sourceLocation)
            }
            for secret in secrets where !secret.isEmpty {
                #expect(!body.contains(secret), "\(r.status) body contains a secret", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Small helpers shared by the account, recovery, two-factor, API-key and admin suites.
enum AccountKit {
    static let verifyMarker = "POST /v1/auth/email/verify"
    static let resetMarker = "POST /v1/auth/password/reset"

    static func tag() -> String { String(UUID().uuidString.prefix(8)).lowercased() }

    static func login(_ app: AuthApp, _ email: String, _ password: String, totp: String? = nil) throws -> APIResponse {
        var body: [String: Any] = ["email": email, "password": password]
        if let totp { body["totp_code"] = totp }
        return try app.call("POST", "/v1/auth/login", json: body)
    }

    static func refresh(_ app: AuthApp, _ token: String) throws -> APIResponse {
        try app.call("POST", "/v1/auth/refresh", json: ["refresh_token": token])
    }

    /// A fresh access token for `account` (after a role change in the database, say).
    static func accessToken(_ app: AuthApp, _ account: Account) throws -> String {
        let r = try login(app, account.email, account.password)
        guard r.status == 200, let token = r.string("access_token") else {
            throw TestFailure("login answered \(r.status): \(r.text)")
        }
        return token
    }

    static func createKey(_ app: AuthApp, _ token: String, scopes: [String], name: String = "test key") throws -> String
    {
        let r = try app.call("POST", "/v1/api-keys", json: ["name": name, "scopes": scopes], token: token)
        guard r.status == 201, let key = r.string("key") else {
            throw TestFailure("api key answered \(r.status): \(r.text)")
        }
        return key
    }

    /// The `field`s of a validation problem's `errors`, sorted.
    static func errorFields(_ r: APIResponse) -> [String] {
        ((r.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.sorted()
    }

    static func auditCount(_ app: AuthApp, action: String, actor: String) throws -> Int {
        guard let id = UUID(uuidString: actor) else { throw TestFailure("not a user id: \(actor)") }
        return try app.database.pool.query(
            "SELECT count(*)::int FROM audit_log WHERE action = $1 AND actor_id = $2", [action, id]
        )[0].decode(0, as: Int.self)
    }

    static func hookRuns(_ app: AuthApp, _ user: UUID) throws -> Int {
        try app.database.pool.query("SELECT count(*)::int FROM deletion_hook_runs WHERE user_id = $1", [user])[0]
            .decode(0, as: Int.self)
    }

    /// The claims of a JWT, read without verifying it (the server verified it already).
    static func claims(_ jwt: String) throws -> [String: Any] {
        let parts = jwt.split(separator: ".")
        guard parts.count == 3 else { throw TestFailure("not a JWT") }
        let payload = try Base64URL.decode(String(parts[1]))
        return (try JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] ?? [:]
    }

    /// SHA-256 of a token's text: how opaque tokens are stored.
    static func digest(_ token: String) throws -> Data {
        Data(try SHA256.hash(Array(token.utf8)))
    }
}
