import Auth
import Crypto
import Foundation
import Kernel
import Testing

/// The access-token attack set (DESIGN §7) over the socket against `GET /v1/me`: every forged,
/// stale or mangled token is a 401 with `WWW-Authenticate: Bearer … error="invalid_token"`.
@Suite struct JWTAttackTests {
    /// The key `AuthApp.signingKeys` derives to, as `AuthService.signingKeys` derives it.
    static func serverKey() throws -> JWTSigner.Key {
        let named = AuthApp.signingKeys[0]
        let seed = try HMAC.authenticationCode(
            for: Array("travelsense jwt ed25519".utf8), key: Array(named.secret.utf8), using: .sha256)
        return JWTSigner.Key(id: named.id, privateKey: try Ed25519.PrivateKey(seed: seed))
    }

    static func claims(
        for account: Account, role: String = "user", iat: Int64? = nil, exp: Int64? = nil, nbf: Int64? = nil
    ) -> AccessTokenClaims {
        let now = Int64(Date().timeIntervalSince1970)
        return AccessTokenClaims(
            sub: account.id, role: role, iat: iat ?? now, exp: exp ?? now + 900, jti: UUIDv7().description, nbf: nbf)
    }

    /// A token with a header and payload of our choosing, signed by `signature` over the first two parts.
    static func forge(
        header: String, payload: AccessTokenClaims, signature: (String) throws -> [UInt8]
    ) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let input =
            Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode([UInt8](try encoder.encode(payload)))
        return input + "." + Base64URL.encode(try signature(input))
    }

    func expectRefused(
        _ app: LeakCheckedApp, _ label: String, authorization: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let r = try app.call(
            "GET", "/v1/me", headers: ["Authorization: \(authorization)"], sourceLocation: sourceLocation)
        #expect(r.status == 401, "\(label): \(r.text)", sourceLocation: sourceLocation)
        #expect(
            hasInvalidTokenChallenge(r), "\(label): WWW-Authenticate \(r.header("WWW-Authenticate") ?? "none")",
            sourceLocation: sourceLocation)
        #expect(isProblem(r), "\(label): \(r.text)", sourceLocation: sourceLocation)
        #expect(r.string("id") == nil && r.string("email") == nil, "\(label)", sourceLocation: sourceLocation)
    }

    @Test func aTokenWeSignedForAnExistingUserWorks() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let token = try JWTSigner(keys: [try Self.serverKey()]).sign(Self.claims(for: a))
        let me = try app.call("GET", "/v1/me", token: token)
        #expect(me.status == 200, "\(me.text)")
        #expect(me.string("id") == a.id)
        // The server's own tokens carry the same kid and verify with the same key.
        let header = try Base64URL.decode(String(a.accessToken.split(separator: ".")[0]))
        let fields = try JSONSerialization.jsonObject(with: Data(header)) as? [String: String]
        #expect(fields?["alg"] == "EdDSA")
        #expect(fields?["kid"] == AuthApp.signingKeys[0].id)
        #expect(throws: Never.self) {
            try JWTSigner(keys: [try Self.serverKey()]).verify(a.accessToken, now: Int64(Date().timeIntervalSince1970))
        }
    }

    @Test func algorithmAndKeyAttacksAreRefused() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let key = try Self.serverKey()
        let kid = key.id
        let claims = Self.claims(for: a)

        let none = try Self.forge(header: #"{"alg":"none","typ":"JWT","kid":"\#(kid)"}"#, payload: claims) { _ in [] }
        try expectRefused(app, "alg none", authorization: "Bearer \(none)")
        let bareNone = try Self.forge(header: #"{"alg":"none"}"#, payload: claims) { _ in [] }
        try expectRefused(app, "alg none without kid", authorization: "Bearer \(bareNone)")

        // HS256 keyed with the public key, raw and as the JWKS `x` a confused verifier would use.
        let jwks = try app.call("GET", "/.well-known/jwks.json")
        try #require(jwks.status == 200)
        let x = try #require((jwks.json["keys"] as? [[String: Any]])?.first?["x"] as? String)
        #expect(try Base64URL.decode(x) == key.privateKey.publicKey.rawRepresentation)
        for secret in [try Base64URL.decode(x), Array(x.utf8), Array(jwks.raw.body)] {
            let hs = try Self.forge(header: #"{"alg":"HS256","typ":"JWT","kid":"\#(kid)"}"#, payload: claims) {
                try HMAC.authenticationCode(for: Array($0.utf8), key: secret, using: .sha256)
            }
            try expectRefused(app, "HS256 with the public key (\(secret.count) bytes)", authorization: "Bearer \(hs)")
        }

        let unknownKid = try Self.forge(header: #"{"alg":"EdDSA","typ":"JWT","kid":"test-2"}"#, payload: claims) {
            try key.privateKey.sign(Array($0.utf8))
        }
        try expectRefused(app, "unknown kid", authorization: "Bearer \(unknownKid)")
        let noKid = try Self.forge(header: #"{"alg":"EdDSA","typ":"JWT"}"#, payload: claims) {
            try key.privateKey.sign(Array($0.utf8))
        }
        try expectRefused(app, "no kid", authorization: "Bearer \(noKid)")

        let impostorKey = try Ed25519.PrivateKey()
        let impostor = try Self.forge(header: #"{"alg":"EdDSA","typ":"JWT","kid":"\#(kid)"}"#, payload: claims) {
            try impostorKey.sign(Array($0.utf8))
        }
        try expectRefused(app, "impostor key with the right kid", authorization: "Bearer \(impostor)")

        // The control: the same forging code with the real key is accepted, so the refusals above are
        // about the attack, not the forging.
        let genuine = try Self.forge(header: #"{"alg":"EdDSA","typ":"JWT","kid":"\#(kid)"}"#, payload: claims) {
            try key.privateKey.sign(Array($0.utf8))
        }
        #expect(try app.call("GET", "/v1/me", token: genuine).status == 200)
    }

    @Test func staleAndPrematureTokensAreRefused() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let signer = try JWTSigner(keys: [try Self.serverKey()])
        let now = Int64(Date().timeIntervalSince1970)
        let leeway = JWTSigner.leeway

        let expired = try signer.sign(Self.claims(for: a, iat: now - 1000, exp: now - leeway - 5))
        try expectRefused(app, "expired beyond the leeway", authorization: "Bearer \(expired)")
        let notYet = try signer.sign(Self.claims(for: a, nbf: now + leeway + 600))
        try expectRefused(app, "nbf in the future", authorization: "Bearer \(notYet)")
        let issuedLater = try signer.sign(Self.claims(for: a, iat: now + leeway + 600, exp: now + 2000))
        try expectRefused(app, "iat in the future", authorization: "Bearer \(issuedLater)")
        // Within the leeway on both sides: accepted (clock skew between replicas).
        let skewed = try signer.sign(Self.claims(for: a, iat: now - 900, exp: now - 1, nbf: now + 5))
        #expect(try app.call("GET", "/v1/me", token: skewed).status == 200)
    }

    @Test func tamperedAndMalformedTokensAreRefused() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let parts = a.accessToken.split(separator: ".").map(String.init)
        try #require(parts.count == 3)

        // Payload re-encoded with role admin, original signature kept.
        var payload = try #require(
            try JSONSerialization.jsonObject(with: Data(try Base64URL.decode(parts[1]))) as? [String: Any])
        #expect(payload["role"] as? String == "user")
        payload["role"] = "admin"
        let admin = Base64URL.encode([UInt8](try JSONSerialization.data(withJSONObject: payload, options: .sortedKeys)))
        try expectRefused(
            app, "role admin", authorization: "Bearer \([parts[0], admin, parts[2]].joined(separator: "."))")

        var signature = try Base64URL.decode(parts[2])
        signature[17] ^= 0x01
        let flipped = [parts[0], parts[1], Base64URL.encode(signature)].joined(separator: ".")
        try expectRefused(app, "tampered signature", authorization: "Bearer \(flipped)")
        let truncated = [parts[0], parts[1], Base64URL.encode(Array(signature.prefix(32)))].joined(separator: ".")
        try expectRefused(app, "short signature", authorization: "Bearer \(truncated)")
        try expectRefused(app, "no signature", authorization: "Bearer \(parts[0]).\(parts[1]).")

        for garbage in [
            "garbage", "a.b.c", "....", a.accessToken + "x", "x" + a.accessToken, String(repeating: "A", count: 5000),
            "\(parts[0]).\(parts[1])", "\(a.accessToken).\(parts[2])", "tsk_not-a-real-key",
        ] {
            try expectRefused(app, "garbage \(garbage.prefix(16))", authorization: "Bearer \(garbage)")
        }
        let basic = Data("\(a.email):\(a.password)".utf8).base64EncodedString()
        try expectRefused(app, "Basic scheme", authorization: "Basic \(basic)")
        try expectRefused(app, "token without a scheme", authorization: a.accessToken)
        try expectRefused(app, "empty bearer", authorization: "Bearer ")

        // The genuine token still works after all that.
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 200)
        // A missing header is "unauthenticated", not "invalid_token".
        let none = try app.call("GET", "/v1/me")
        #expect(none.status == 401)
        #expect(none.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(!hasInvalidTokenChallenge(none))
    }

    @Test func aPublicRouteIgnoresABadAuthorizationHeader() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let r = try app.call(
            "POST", "/v1/auth/refresh", json: ["refresh_token": a.refreshToken],
            headers: ["Authorization: Bearer not.a.token"])
        #expect(r.status == 200, "\(r.text)")
        #expect(r.string("access_token") != nil)
        let jwks = try app.call("GET", "/.well-known/jwks.json", headers: ["Authorization: Basic Zm9vOmJhcg=="])
        #expect(jwks.status == 200)
        let login = try app.call(
            "POST", "/v1/auth/login", json: ["email": a.email, "password": a.password],
            headers: ["Authorization: Bearer \(a.accessToken)x"])
        #expect(login.status == 200, "\(login.text)")
    }
}
