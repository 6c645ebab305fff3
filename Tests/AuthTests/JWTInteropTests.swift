import Auth
import Crypto
import Foundation
import TestSupport
import Testing

/// An access token we issue verifies with an independent JOSE implementation (PyJWT with the
/// `cryptography` package, from Debian: python3-jwt) using only our JWKS document, and PyJWT rejects
/// the same token once tampered with.
@Suite struct JWTInteropTests {
    /// Debian's interpreter: the one python3-jwt installs for (a pyenv `python3` may not see it).
    static let python = "/usr/bin/python3"
    static let script = """
        import json, sys, jwt
        jwks = json.load(open(sys.argv[1]))
        token = open(sys.argv[2]).read()
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id == kid)
        claims = jwt.decode(token, key=key.key, algorithms=["EdDSA"], options={"verify_exp": False})
        print(json.dumps(claims, sort_keys=True))
        """

    func pyjwt(jwks: Data, token: String) throws -> (status: Int32, output: String) {
        let directory = NSTemporaryDirectory() + "travelsense-jwt-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try jwks.write(to: URL(fileURLWithPath: directory + "/jwks.json"))
        try Data(token.utf8).write(to: URL(fileURLWithPath: directory + "/token"))
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: directory + "/verify.py"))
        return try ToolProcess.run(
            Self.python, [directory + "/verify.py", directory + "/jwks.json", directory + "/token"])
    }

    @Test func pyJWTVerifiesOurTokensWithOurJWKS() throws {
        let signer = try JWTSigner(keys: [
            JWTSigner.Key(id: "2026-11", privateKey: try Ed25519.PrivateKey()),
            JWTSigner.Key(id: "2026-10", privateKey: try Ed25519.PrivateKey()),
        ])
        let claims = AccessTokenClaims(sub: "user-1", role: "admin", iat: 1_795_000_000, exp: 1_795_000_900, jti: "j")
        let token = try signer.sign(claims)
        let jwks = try JSONEncoder().encode(signer.jwks)
        let verified = try pyjwt(jwks: jwks, token: token)
        #expect(verified.status == 0, "\(verified.output)")
        let decoded = try JSONDecoder().decode(AccessTokenClaims.self, from: Data(verified.output.utf8))
        #expect(decoded == claims)

        var signature = try Base64URL.decode(String(token.split(separator: ".")[2]))
        signature[0] ^= 0x80
        let tampered = token.split(separator: ".").prefix(2).joined(separator: ".") + "." + Base64URL.encode(signature)
        #expect(try pyjwt(jwks: jwks, token: tampered).status != 0)
    }
}
