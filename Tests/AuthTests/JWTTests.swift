import Auth
import Crypto
import Foundation
import Testing

/// The access-token attack set (DESIGN §7): only EdDSA with a known key id, a valid signature over
/// exactly the first two segments, and the time claims within a small leeway.
@Suite struct JWTTests {
    let now: Int64 = 1_795_000_000
    let current: JWTSigner.Key
    let previous: JWTSigner.Key
    let signer: JWTSigner

    init() throws {
        current = JWTSigner.Key(id: "k2", privateKey: try Ed25519.PrivateKey())
        previous = JWTSigner.Key(id: "k1", privateKey: try Ed25519.PrivateKey())
        signer = try JWTSigner(keys: [current, previous])
    }

    func claims(iat: Int64? = nil, exp: Int64? = nil, nbf: Int64? = nil, role: String = "user") -> AccessTokenClaims {
        AccessTokenClaims(
            sub: "0193b6d2-0000-7000-8000-000000000001", role: role, iat: iat ?? now, exp: exp ?? now + 900,
            jti: "j-1", nbf: nbf)
    }

    /// A token with a header and payload of our choosing and `signature` bytes.
    func forge(header: String, payload: AccessTokenClaims, signature: (String) throws -> [UInt8]) throws -> String {
        let input =
            Base64URL.encode(Array(header.utf8)) + "."
            + Base64URL.encode([UInt8](try JSONEncoder().encode(payload)))
        return input + "." + Base64URL.encode(try signature(input))
    }

    @Test func aTokenRoundTripsAndOldKeysStillVerify() throws {
        let token = try signer.sign(claims())
        #expect(try signer.verify(token, now: now + 60) == claims())
        let header =
            try JSONSerialization.jsonObject(
                with: Data(try Base64URL.decode(String(token.split(separator: ".")[0])))) as? [String: String]
        #expect(header == ["alg": "EdDSA", "typ": "JWT", "kid": "k2"])
        // Issued before the rotation, by the key now second in the list.
        let old = try JWTSigner(keys: [previous]).sign(claims())
        #expect(try signer.verify(old, now: now) == claims())
        // A key no longer configured.
        let retired = try JWTSigner(keys: [JWTSigner.Key(id: "k0", privateKey: try Ed25519.PrivateKey())]).sign(
            claims())
        #expect(throws: TokenError.unknownKey) { try signer.verify(retired, now: now) }
    }

    @Test func algorithmsOtherThanEdDSAAreRefused() throws {
        let none = try forge(header: #"{"alg":"none","kid":"k2"}"#, payload: claims()) { _ in [] }
        #expect(throws: TokenError.unsupportedAlgorithm) { try signer.verify(none, now: now) }
        // The classic confusion: HMAC keyed with the (public) verification key.
        let publicKey = current.privateKey.publicKey.rawRepresentation
        for secret in [publicKey, Array(Base64URL.encode(publicKey).utf8)] {
            let hs = try forge(header: #"{"alg":"HS256","kid":"k2"}"#, payload: claims()) { input in
                try HMAC.authenticationCode(for: Array(input.utf8), key: secret, using: .sha256)
            }
            #expect(throws: TokenError.unsupportedAlgorithm) { try signer.verify(hs, now: now) }
        }
        let lowercase = try forge(header: #"{"alg":"eddsa","kid":"k2"}"#, payload: claims()) { input in
            try current.privateKey.sign(Array(input.utf8))
        }
        #expect(throws: TokenError.unsupportedAlgorithm) { try signer.verify(lowercase, now: now) }
        let critical = try forge(header: #"{"alg":"EdDSA","kid":"k2","crit":["exp"]}"#, payload: claims()) { input in
            try current.privateKey.sign(Array(input.utf8))
        }
        #expect(throws: TokenError.unsupportedAlgorithm) { try signer.verify(critical, now: now) }
        let noKid = try forge(header: #"{"alg":"EdDSA"}"#, payload: claims()) { input in
            try current.privateKey.sign(Array(input.utf8))
        }
        #expect(throws: TokenError.unknownKey) { try signer.verify(noKid, now: now) }
    }

    @Test func tamperingIsDetected() throws {
        let token = try signer.sign(claims())
        let parts = token.split(separator: ".").map(String.init)
        let admin = Base64URL.encode([UInt8](try JSONEncoder().encode(claims(role: "admin"))))
        #expect(throws: TokenError.badSignature) {
            try signer.verify([parts[0], admin, parts[2]].joined(separator: "."), now: now)
        }
        var signature = try Base64URL.decode(parts[2])
        signature[10] ^= 1
        #expect(throws: TokenError.badSignature) {
            try signer.verify([parts[0], parts[1], Base64URL.encode(signature)].joined(separator: "."), now: now)
        }
        // Signed by a key that claims another key's id.
        let impostor = try forge(header: #"{"alg":"EdDSA","kid":"k2"}"#, payload: claims()) { input in
            try Ed25519.PrivateKey().sign(Array(input.utf8))
        }
        #expect(throws: TokenError.badSignature) { try signer.verify(impostor, now: now) }
        for junk in ["", "a.b", "a.b.c.d", token + "x", "..", String(repeating: "a", count: 5000)] {
            #expect(throws: TokenError.self, "\(junk.prefix(20))") { try signer.verify(junk, now: now) }
        }
    }

    @Test func timeClaimsHoldWithinTheLeeway() throws {
        let token = try signer.sign(claims(exp: now))
        #expect(throws: Never.self) { try signer.verify(token, now: now + JWTSigner.leeway - 1) }
        #expect(throws: TokenError.expired) { try signer.verify(token, now: now + JWTSigner.leeway) }
        let later = try signer.sign(claims(nbf: now + 600))
        #expect(throws: TokenError.notYetValid) { try signer.verify(later, now: now) }
        let future = try signer.sign(claims(iat: now + 600, exp: now + 1200))
        #expect(throws: TokenError.notYetValid) { try signer.verify(future, now: now) }
    }

    @Test func theJWKSListsEveryVerifyingKey() throws {
        let keys = signer.jwks["keys"] ?? []
        #expect(keys.map { $0["kid"] } == ["k1", "k2"])
        #expect(keys.allSatisfy { $0["kty"] == "OKP" && $0["crv"] == "Ed25519" && $0["alg"] == "EdDSA" })
        let x = try #require(keys.last?["x"])
        #expect(try Base64URL.decode(x) == current.privateKey.publicKey.rawRepresentation)
        #expect(!keys.contains { $0["d"] != nil })  // never a private part
    }
}
