import Foundation
import Postgres
import TestSupport
import Testing

/// Password reset and e-mail verification: mailed single-use tokens, stored only as digests.
@Suite struct RecoveryTests {
    @Test func passwordReset() throws {
        let app = try AuthApp()
        let a = try app.register()
        let second = try AccountKit.login(app, a.email, a.password)
        let secondRefresh = try #require(second.string("refresh_token"))
        let secondAccess = try #require(second.string("access_token"))
        let unknown = "nobody-\(AccountKit.tag())@example.com"
        let newPassword = "a brand new long passphrase"
        var leaks = LeakGuard(secrets: [a.password, newPassword])

        // Known or unknown, the answer is the same.
        let forUnknown = try app.call("POST", "/v1/auth/password/forgot", json: ["email": unknown])
        let forKnown = try app.call("POST", "/v1/auth/password/forgot", json: ["email": a.email.uppercased()])
        #expect(forUnknown.status == 202)
        #expect(forKnown.status == 202)
        #expect(forUnknown.raw.body == forKnown.raw.body)
        #expect(forUnknown.header("Content-Type") == forKnown.header("Content-Type"))
        let malformed = try app.call("POST", "/v1/auth/password/forgot", json: ["email": "not an address"])
        #expect(malformed.status == 202)

        let token = try #require(app.waitForToken(to: a.email, containing: AccountKit.resetMarker))
        leaks.add(token)
        // Only the known address got a mail (and only it has a token).
        sleepFor(.milliseconds(500))
        #expect(!app.mails().contains { $0.contains(unknown) })
        #expect(try Self.tokenCount(app, purpose: "password_reset") == 1)

        // A weak new password is refused before the token is spent.
        let weak = try app.call("POST", "/v1/auth/password/reset", json: ["token": token, "new_password": "12345678"])
        #expect(weak.status == 400)
        #expect(AccountKit.errorFields(weak) == ["new_password"])

        let reset = try app.call(
            "POST", "/v1/auth/password/reset", json: ["token": token, "new_password": newPassword])
        #expect(reset.status == 204)

        // Every earlier session is over, access tokens at once.
        #expect(try AccountKit.refresh(app, a.refreshToken).status == 401)
        #expect(try AccountKit.refresh(app, secondRefresh).status == 401)
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 401)
        #expect(try app.call("GET", "/v1/me", token: secondAccess).status == 401)
        let fresh = try AccountKit.login(app, a.email, newPassword)
        #expect(fresh.status == 200)
        #expect(try app.call("GET", "/v1/me", token: fresh.string("access_token")).status == 200)
        #expect(try AccountKit.login(app, a.email, a.password).status == 401)
        #expect(try AccountKit.auditCount(app, action: "password_reset", actor: a.id) == 1)

        // Single use.
        let reused = try app.call(
            "POST", "/v1/auth/password/reset", json: ["token": token, "new_password": "and yet another one"])
        #expect(reused.status == 400)
        #expect(AccountKit.errorFields(reused) == ["token"])
        #expect(try AccountKit.login(app, a.email, newPassword).status == 200)

        // Garbage, and a well-formed token nobody issued.
        for bad in ["ot_garbage", "", "ot_" + String(repeating: "A", count: 43), String(token.dropFirst(3))] {
            let r = try app.call(
                "POST", "/v1/auth/password/reset", json: ["token": bad, "new_password": "another long one"])
            #expect(r.status == 400, "token \(bad.debugDescription)")
            #expect(AccountKit.errorFields(r) == ["token"], "token \(bad.debugDescription)")
            leaks.check(r)
        }

        // An expired one.
        let count = app.mails().count
        #expect(try app.call("POST", "/v1/auth/password/forgot", json: ["email": a.email]).status == 202)
        let later = try #require(app.waitForToken(to: a.email, containing: AccountKit.resetMarker, after: count))
        #expect(later != token)
        leaks.add(later)
        let expired = try app.database.pool.execute(
            "UPDATE one_time_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1",
            [try AccountKit.digest(later)])
        #expect(expired == 1)
        let late = try app.call(
            "POST", "/v1/auth/password/reset", json: ["token": later, "new_password": "too late now"])
        #expect(late.status == 400)
        #expect(AccountKit.errorFields(late) == ["token"])
        #expect(try AccountKit.login(app, a.email, newPassword).status == 200)

        // At rest: the SHA-256 digest, never the token.
        for t in [token, later] {
            let hashes = try Self.storedHashes(app)
            #expect(hashes.contains(try AccountKit.digest(t)))
            #expect(!hashes.contains { $0 == Data(t.utf8) || $0.range(of: Data(t.utf8)) != nil })
        }
        let anyText = try app.database.pool.query(
            "SELECT count(*)::int FROM one_time_tokens WHERE position($1 in email || purpose) > 0", [token])
        #expect(try anyText[0].decode(0, as: Int.self) == 0)
        leaks.check(forUnknown, forKnown, malformed, weak, reset, fresh, reused, late)
    }

    @Test func emailVerification() throws {
        let app = try AuthApp()
        let a = try app.register()
        var leaks = LeakGuard(secrets: [a.password])
        let token = try #require(app.waitForToken(to: a.email, containing: AccountKit.verifyMarker))
        leaks.add(token)
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).json["email_verified"] as? Bool == false)

        // Asking again sends a second mail.
        let count = app.mails().count
        let resend = try app.call("POST", "/v1/me/email/verification", token: a.accessToken)
        #expect(resend.status == 202)
        let second = try #require(app.waitForToken(to: a.email, containing: AccountKit.verifyMarker, after: count))
        #expect(second != token)
        leaks.add(second)

        // A verification token is not a reset token.
        let crossed = try app.call(
            "POST", "/v1/auth/password/reset", json: ["token": token, "new_password": "sneaky long one"])
        #expect(crossed.status == 400)
        #expect(try AccountKit.login(app, a.email, a.password).status == 200)

        let verified = try app.call("POST", "/v1/auth/email/verify", json: ["token": token])
        #expect(verified.status == 204)
        let me = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(me.json["email_verified"] as? Bool == true)
        #expect(try AccountKit.auditCount(app, action: "email_verified", actor: a.id) == 1)

        let again = try app.call("POST", "/v1/auth/email/verify", json: ["token": token])
        #expect(again.status == 400)
        #expect(AccountKit.errorFields(again) == ["token"])
        let garbage = try app.call("POST", "/v1/auth/email/verify", json: ["token": "ot_nope"])
        #expect(garbage.status == 400)

        let already = try app.call("POST", "/v1/me/email/verification", token: a.accessToken)
        #expect(already.status == 409)
        #expect(try AccountKit.digest(token) != Data(token.utf8))
        #expect(try Self.storedHashes(app).contains(try AccountKit.digest(token)))
        leaks.check(resend, crossed, verified, me, again, garbage, already)
    }

    static func tokenCount(_ app: AuthApp, purpose: String) throws -> Int {
        try app.database.pool.query("SELECT count(*)::int FROM one_time_tokens WHERE purpose = $1", [purpose])[0]
            .decode(0, as: Int.self)
    }

    static func storedHashes(_ app: AuthApp) throws -> [Data] {
        try app.database.pool.query("SELECT token_hash FROM one_time_tokens").map { try $0.decode(0, as: Data.self) }
    }
}
