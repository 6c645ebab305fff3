import Crypto
import Foundation

/// The claims of an access token (DESIGN §7): who (`sub`), with which global role, when issued and
/// until when (`iat`, `exp`, seconds since 1970), and a unique id (`jti`) for audit and revocation.
public struct AccessTokenClaims: Codable, Sendable, Equatable {
    public var sub: String
    public var role: String
    public var iat: Int64
    public var exp: Int64
    public var jti: String
    /// Optional "not before"; tokens we issue leave it out.
    public var nbf: Int64?
    /// The session (refresh-token family) the token was issued to, so "other sessions" can be told
    /// from this one.
    public var sid: String?

    public init(sub: String, role: String, iat: Int64, exp: Int64, jti: String, nbf: Int64? = nil, sid: String? = nil) {
        self.sub = sub
        self.role = role
        self.iat = iat
        self.exp = exp
        self.jti = jti
        self.nbf = nbf
        self.sid = sid
    }
}

/// Why a token was refused. Clients only ever learn "invalid_token"; the case is for logs and tests.
public enum TokenError: Error, Sendable, Equatable {
    case malformed
    case unsupportedAlgorithm
    case unknownKey
    case badSignature
    case expired
    case notYetValid
}

/// Ed25519-signed JWTs (RFC 7519, `alg: EdDSA`, RFC 8037) with key ids for rotation: the first key
/// signs, every key verifies, so a new key can be added ahead of use and an old one kept until its
/// last tokens expire. Only `EdDSA` is accepted — no `none`, no HMAC with the public key as secret —
/// and the header's `kid` must name a configured key.
public struct JWTSigner: Sendable {
    public struct Key: Sendable {
        public let id: String
        public let privateKey: Ed25519.PrivateKey

        public init(id: String, privateKey: Ed25519.PrivateKey) {
            self.id = id
            self.privateKey = privateKey
        }
    }

    /// Clock skew tolerated between replicas for `exp`, `nbf` and `iat`, in seconds.
    public static let leeway: Int64 = 30

    let signing: Key
    let verifying: [String: Ed25519.PublicKey]

    /// - Parameter keys: at least one; the first signs.
    public init(keys: [Key]) throws(CryptoError) {
        guard let first = keys.first else { throw .invalidParameter("at least one signing key is required") }
        signing = first
        var verifying = [String: Ed25519.PublicKey]()
        for key in keys { verifying[key.id] = key.privateKey.publicKey }
        self.verifying = verifying
    }

    private struct Header: Codable {
        var alg: String
        var typ: String?
        var kid: String?
        var crit: [String]?
    }

    /// `header.payload.signature`, each part base64url without padding.
    public func sign(_ claims: AccessTokenClaims) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = try encoder.encode(Header(alg: "EdDSA", typ: "JWT", kid: signing.id))
        let payload = try encoder.encode(claims)
        let input = Base64URL.encode([UInt8](header)) + "." + Base64URL.encode([UInt8](payload))
        let signature = try signing.privateKey.sign(Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    /// The claims of a valid token at `now` (seconds since 1970); throws `TokenError` otherwise.
    public func verify(_ token: String, now: Int64) throws(TokenError) -> AccessTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 4096 else { throw .malformed }
        guard let headerBytes = try? Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes))
        else { throw .malformed }
        // The algorithm is ours to choose, not the token's: anything but EdDSA is refused outright.
        guard header.alg == "EdDSA", header.crit == nil else { throw .unsupportedAlgorithm }
        guard let kid = header.kid, let key = verifying[kid] else { throw .unknownKey }
        guard let signature = try? Base64URL.decode(String(parts[2])),
            signature.count == Ed25519.signatureByteCount,
            key.verify(
                signature: signature, message: Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)))
        else { throw .badSignature }
        guard let payload = try? Base64URL.decode(String(parts[1])),
            let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: Data(payload))
        else { throw .malformed }
        guard now < claims.exp + Self.leeway else { throw .expired }
        if let nbf = claims.nbf, now + Self.leeway < nbf { throw .notYetValid }
        guard claims.iat <= now + Self.leeway else { throw .notYetValid }
        return claims
    }

    /// The public keys as a JWK Set (RFC 7517, OKP keys of RFC 8037) for `/.well-known/jwks.json`.
    public var jwks: [String: [[String: String]]] {
        let keys = verifying.sorted { $0.key < $1.key }.map { id, key in
            [
                "kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(key.rawRepresentation), "kid": id,
                "use": "sig", "alg": "EdDSA",
            ]
        }
        return ["keys": keys]
    }
}
