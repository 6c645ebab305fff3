import Crypto
import Foundation
import Testing

/// Raising the scrypt cost (PASSWORD_SCRYPT_LOG_N) upgrades each stored hash at its owner's next
/// sign-in, while the password keeps working.
@Suite struct RehashTests {
    func storedHash(_ app: AuthApp, _ account: Account) throws -> String {
        let rows = try app.database.pool.query(
            "SELECT password_hash FROM users WHERE id = $1", [try #require(UUID(uuidString: account.id))])
        return try #require(try rows.first?.decode(0, as: String?.self))
    }

    func scrypt(logN: Int) throws -> PasswordHashAlgorithm {
        .scrypt(try ScryptParameters(logN: logN, r: ScryptParameters.default.r, p: ScryptParameters.default.p))
    }

    @Test func aRaisedCostRehashesOnLogin() throws {
        let first = LeakCheckedApp(try AuthApp { $0.auth.scryptLogN = 10 })
        let a = try first.register()
        let untouched = try first.register()
        let before = try storedHash(first.app, a)
        let parsedBefore = try PasswordHash(parsing: before)
        #expect(parsedBefore.algorithm == (try scrypt(logN: 10)))
        #expect(before.hasPrefix("$scrypt$ln=10,"))

        // The same database served with a higher cost.
        let second = LeakCheckedApp(try AuthApp(database: first.app.database) { $0.auth.scryptLogN = 11 })
        // A failed sign-in does not rehash (the password was not proven).
        let wrong = try second.call("POST", "/v1/auth/login", json: ["email": a.email, "password": "not the password"])
        #expect(wrong.status == 401)
        #expect(try storedHash(second.app, a) == before)

        let login = try second.call("POST", "/v1/auth/login", json: ["email": a.email, "password": a.password])
        try #require(login.status == 200, "\(login.text)")
        let after = try storedHash(second.app, a)
        #expect(after != before)
        #expect(after.hasPrefix("$scrypt$ln=11,"), "\(after.prefix(20))")
        let parsedAfter = try PasswordHash(parsing: after)
        #expect(parsedAfter.algorithm == (try scrypt(logN: 11)))
        #expect(parsedAfter.salt != parsedBefore.salt)

        // The password still works, at the new cost, and the hash stays put from now on.
        let again = try second.call("POST", "/v1/auth/login", json: ["email": a.email, "password": a.password])
        #expect(again.status == 200, "\(again.text)")
        #expect(try storedHash(second.app, a) == after)
        let access = try #require(again.string("access_token"))
        #expect(try second.call("GET", "/v1/me", token: access).status == 200)
        // A wrong password is still wrong against the new hash.
        #expect(
            try second.call("POST", "/v1/auth/login", json: ["email": a.email, "password": "still not it"]).status
                == 401)
        // Accounts that did not sign in keep their old hash until they do.
        #expect(try storedHash(second.app, untouched).hasPrefix("$scrypt$ln=10,"))
        // The first app (old cost) still accepts the upgraded hash: parameters travel with it.
        #expect(
            try first.call("POST", "/v1/auth/login", json: ["email": a.email, "password": a.password]).status == 200)
    }
}
