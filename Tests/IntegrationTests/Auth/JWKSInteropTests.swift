import Crypto
import Foundation
import TestSupport
import Testing

/// An access token the running server issued verifies with an independent JOSE implementation
/// (PyJWT with `cryptography`, Debian's python3-jwt) given only the server's `/.well-known/jwks.json`,
/// and PyJWT rejects the token once tampered with.
@Suite struct JWKSInteropTests {
    /// Debian's interpreter: the one python3-jwt installs for (a pyenv `python3` may not see it).
    static let python = "/usr/bin/python3"
    /// argv: jwks file, token file, expected kid. Prints the verified claims; exits non-zero on failure.
    static let script = """
        import json, sys, jwt
        jwks = json.load(open(sys.argv[1]))
        token = open(sys.argv[2]).read()
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "EdDSA" or header.get("kid") != sys.argv[3]:
            sys.exit("unexpected header %r" % header)
        keys = [jwt.PyJWK(k) for k in jwks["keys"] if k.get("kid") == header["kid"]]
        if len(keys) != 1:
            sys.exit("kid not in the JWKS exactly once")
        claims = jwt.decode(
            token, key=keys[0].key, algorithms=["EdDSA"],
            options={"require": ["exp", "iat", "sub", "jti"], "verify_exp": True, "verify_iat": True})
        print(json.dumps(claims, sort_keys=True))
        """

    func pyjwt(jwks: [UInt8], token: String, kid: String) throws -> (status: Int32, output: String) {
        let directory = NSTemporaryDirectory() + "travelsense-jwks-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(jwks).write(to: URL(fileURLWithPath: directory + "/jwks.json"))
        try Data(token.utf8).write(to: URL(fileURLWithPath: directory + "/token"))
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: directory + "/verify.py"))
        return try ToolProcess.run(
            Self.python, [directory + "/verify.py", directory + "/jwks.json", directory + "/token", kid])
    }

    @Test func pyJWTVerifiesTheServersTokenWithTheServersJWKS() throws {
        let app = try LeakCheckedApp()
        let jwks = try app.call("GET", "/.well-known/jwks.json")
        try #require(jwks.status == 200, "\(jwks.text)")
        #expect(jwks.header("Content-Type")?.hasPrefix("application/jwk-set+json") == true)
        let keys = try #require(jwks.json["keys"] as? [[String: Any]])
        let kid = AuthApp.signingKeys[0].id
        #expect(keys.map { $0["kid"] as? String } == [kid])
        #expect(keys.allSatisfy { $0["kty"] as? String == "OKP" && $0["crv"] as? String == "Ed25519" })
        #expect(keys.allSatisfy { $0["d"] == nil }, "a private key part in the JWKS")

        let registered = try app.call(
            "POST", "/v1/auth/register",
            json: ["email": "interop@example.com", "password": "a fine long password", "display_name": "I"])
        try #require(registered.status == 201, "\(registered.text)")
        let token = try #require(registered.string("access_token"))
        let userID = try #require((registered.json["user"] as? [String: Any])?["id"] as? String)

        let verified = try pyjwt(jwks: jwks.raw.body, token: token, kid: kid)
        try #require(verified.status == 0, "\(verified.output)")
        let claims = try #require(
            try JSONSerialization.jsonObject(with: Data(verified.output.utf8)) as? [String: Any], "\(verified.output)")
        #expect(claims["sub"] as? String == userID)
        #expect(claims["role"] as? String == "user")
        let iat = try #require(claims["iat"] as? Int)
        #expect(claims["exp"] as? Int == iat + 900)
        #expect((claims["jti"] as? String)?.isEmpty == false)

        // Tampered: role raised in the payload, signature kept. PyJWT must refuse it.
        let parts = token.split(separator: ".").map(String.init)
        var payload = try #require(
            try JSONSerialization.jsonObject(with: Data(try Base64URL.decode(parts[1]))) as? [String: Any])
        payload["role"] = "admin"
        let forged = Base64URL.encode(
            [UInt8](try JSONSerialization.data(withJSONObject: payload, options: .sortedKeys)))
        let tampered = try pyjwt(
            jwks: jwks.raw.body, token: [parts[0], forged, parts[2]].joined(separator: "."), kid: kid)
        #expect(tampered.status != 0, "PyJWT accepted a tampered payload: \(tampered.output)")
        #expect(tampered.output.contains("Signature verification failed"), "\(tampered.output)")
        // And a flipped signature bit.
        var signature = try Base64URL.decode(parts[2])
        signature[0] ^= 0x80
        let flipped = try pyjwt(
            jwks: jwks.raw.body, token: [parts[0], parts[1], Base64URL.encode(signature)].joined(separator: "."),
            kid: kid)
        #expect(flipped.status != 0, "PyJWT accepted a tampered signature: \(flipped.output)")
    }
}
