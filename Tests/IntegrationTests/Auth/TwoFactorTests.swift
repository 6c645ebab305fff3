import Crypto
import Foundation
import Postgres
import TestSupport
import Testing

/// RFC 6238 two-factor authentication: enrolment, confirmation, sign-in with a code or a recovery
/// code (each once), turning it off; the secret sealed at rest.
@Suite struct TwoFactorTests {
    @Test func totpLifecycle() throws {
        let app = try AuthApp()
        let a = try app.register()
        let userID = try #require(UUID(uuidString: a.id))
        var leaks = LeakGuard(secrets: [a.password])

        let begin = try app.call("POST", "/v1/me/2fa/totp", token: a.accessToken)
        #expect(begin.status == 200)
        leaks.check(begin)
        let secretText = try #require(begin.string("secret"))
        let secret = try Base32.decode(secretText)
        #expect(secret.count >= 16)
        let uri = try #require(begin.string("otpauth_uri").flatMap(URLComponents.init(string:)))
        #expect(uri.scheme == "otpauth")
        #expect(uri.host == "totp")
        #expect(uri.path == "/TravelSense:\(a.email)")
        let query = Dictionary(
            (uri.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(query["secret"] == secretText)
        #expect(query["issuer"] == "TravelSense")
        #expect(query["algorithm"] == "SHA1")
        #expect(query["digits"] == "6")
        #expect(query["period"] == "30")
        leaks.add(secretText)

        // Sealed at rest: neither the secret's bytes nor its base32 text are in the column.
        let sealed = try #require(
            try app.database.pool.query("SELECT totp_secret FROM users WHERE id = $1", [userID])[0]
                .decode(0, as: Data?.self))
        #expect(sealed.count > secret.count)
        #expect(sealed.range(of: Data(secret)) == nil)
        #expect(sealed.range(of: Data(secretText.utf8)) == nil)

        // Not on until confirmed.
        #expect(try AccountKit.login(app, a.email, a.password).status == 200)
        let wrongConfirm = try app.call(
            "POST", "/v1/me/2fa/totp/confirm", json: ["code": try Self.wrongCode(secret)], token: a.accessToken)
        #expect(wrongConfirm.status == 400)
        #expect(AccountKit.errorFields(wrongConfirm) == ["code"])
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).json["two_factor_enabled"] as? Bool == false)

        let now = Date()
        let confirm = try app.call(
            "POST", "/v1/me/2fa/totp/confirm", json: ["code": try TOTP().code(secret: secret, at: now)],
            token: a.accessToken)
        #expect(confirm.status == 200)
        let codes = try #require(confirm.json["recovery_codes"] as? [String])
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        leaks.check(confirm)
        leaks.secrets += codes
        let stored = try app.database.pool.query("SELECT code_hash FROM recovery_codes WHERE user_id = $1", [userID])
            .map { try $0.decode(0, as: Data.self) }
        #expect(stored.count == 10)
        #expect(!stored.contains { hash in codes.contains { hash.range(of: Data($0.utf8)) != nil } })
        let me = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(me.json["two_factor_enabled"] as? Bool == true)
        #expect(try AccountKit.auditCount(app, action: "totp_enabled", actor: a.id) == 1)
        let again = try app.call("POST", "/v1/me/2fa/totp", token: a.accessToken)
        #expect(again.status == 409)

        // Sign-in now needs a code.
        let missing = try AccountKit.login(app, a.email, a.password)
        #expect(missing.status == 401)
        #expect(missing.string("type")?.hasSuffix("totp-required") == true)
        #expect(missing.string("access_token") == nil)
        let wrong = try AccountKit.login(app, a.email, a.password, totp: try Self.wrongCode(secret))
        #expect(wrong.status == 401)
        #expect(wrong.string("type")?.hasSuffix("totp-invalid") == true)
        // A right code with a wrong password is still a wrong password.
        let next = try TOTP().code(secret: secret, at: now.addingTimeInterval(30))
        let badPassword = try AccountKit.login(app, a.email, "not the password", totp: next)
        #expect(badPassword.status == 401)
        #expect(badPassword.string("type")?.hasSuffix("totp-invalid") != true)

        // The step after the one confirmation used: accepted once.
        let good = try AccountKit.login(app, a.email, a.password, totp: next)
        #expect(good.status == 200)
        #expect(good.string("access_token") != nil)
        let replay = try AccountKit.login(app, a.email, a.password, totp: next)
        #expect(replay.status == 401)
        #expect(replay.string("type")?.hasSuffix("totp-invalid") == true)
        // The confirmation's own code is spent as well.
        let old = try AccountKit.login(app, a.email, a.password, totp: try TOTP().code(secret: secret, at: now))
        #expect(old.status == 401)

        // A recovery code, once (however it is typed).
        let recovery = try AccountKit.login(app, a.email, a.password, totp: codes[0])
        #expect(recovery.status == 200)
        let recoveryAgain = try AccountKit.login(app, a.email, a.password, totp: codes[0])
        #expect(recoveryAgain.status == 401)
        #expect(recoveryAgain.string("type")?.hasSuffix("totp-invalid") == true)
        let typed = codes[1].lowercased().replacingOccurrences(of: "-", with: "")
        #expect(try AccountKit.login(app, a.email, a.password, totp: typed).status == 200)

        // Off again: the password is needed, then sign-in needs no code.
        let token = try #require(good.string("access_token"))
        let wrongOff = try app.call("DELETE", "/v1/me/2fa/totp", json: ["password": "not the password"], token: token)
        #expect(wrongOff.status == 403)
        #expect(try AccountKit.login(app, a.email, a.password).status == 401)
        let off = try app.call("DELETE", "/v1/me/2fa/totp", json: ["password": a.password], token: token)
        #expect(off.status == 204)
        let plain = try AccountKit.login(app, a.email, a.password)
        #expect(plain.status == 200)
        #expect(try app.call("GET", "/v1/me", token: token).json["two_factor_enabled"] as? Bool == false)
        #expect(try AccountKit.auditCount(app, action: "totp_disabled", actor: a.id) == 1)
        let cleared = try app.database.pool.query(
            "SELECT totp_secret IS NULL, (SELECT count(*)::int FROM recovery_codes WHERE user_id = $1) FROM users WHERE id = $1",
            [userID])[0]
        #expect(try cleared.decode(0, as: Bool.self))
        #expect(try cleared.decode(1, as: Int.self) == 0)

        leaks.check(
            wrongConfirm, me, again, missing, wrong, badPassword, good, replay, old, recovery, recoveryAgain, wrongOff,
            off,
            plain)
    }

    /// Several sign-ins racing with one code: exactly one gets in (the accepted step is recorded
    /// atomically, not read-then-written). Four racers stay under the lock-out threshold.
    @Test func aCodeRacedByConcurrentSignInsWorksOnce() throws {
        let app = try AuthApp()
        let a = try app.register()
        let secret = try Base32.decode(
            try #require(try app.call("POST", "/v1/me/2fa/totp", token: a.accessToken).string("secret")))
        let now = Date()
        let confirm = try app.call(
            "POST", "/v1/me/2fa/totp/confirm", json: ["code": try TOTP().code(secret: secret, at: now)],
            token: a.accessToken)
        #expect(confirm.status == 200)
        let code = try TOTP().code(secret: secret, at: now.addingTimeInterval(30))
        let statuses = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let status = (try? AccountKit.login(app, a.email, a.password, totp: code).status) ?? -1
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0 }.sorted() == [200, 401, 401, 401])
    }

    @Test func confirmationNeedsAnEnrolment() throws {
        let app = try AuthApp()
        let a = try app.register()
        let r = try app.call("POST", "/v1/me/2fa/totp/confirm", json: ["code": "123456"], token: a.accessToken)
        #expect(r.status == 409)
        #expect(try AccountKit.login(app, a.email, a.password).status == 200)
        // An API key cannot turn two-factor on.
        let key = try AccountKit.createKey(app, a.accessToken, scopes: ["trips:read", "trips:write"])
        let byKey = try app.call("POST", "/v1/me/2fa/totp", token: key)
        #expect(byKey.status == 403)
        LeakGuard(secrets: [a.password, key]).check(r, byKey)
    }

    /// Six digits that are no code of the steps around now.
    static func wrongCode(_ secret: [UInt8]) throws -> String {
        let totp = TOTP()
        let step = try totp.timeStep(at: Date())
        let near = Set(try (step - 3...step + 3).map { try totp.code(secret: secret, timeStep: $0) })
        return try #require(["000000", "111111", "222222", "333333", "444444"].first { !near.contains($0) })
    }
}
