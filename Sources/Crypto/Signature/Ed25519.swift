internal import COpenSSL

/// Ed25519 signatures (RFC 8032), for JWT access tokens (`EdDSA`) and anything else that must be
/// verifiable with a public key alone.
///
/// Deterministic (no per-signature randomness to get wrong), 32-byte keys, 64-byte signatures.
/// Keys are stored as raw bytes and an EVP_PKEY is built per call and freed before returning: the types
/// are plain `Sendable` values with no shared C state, so any thread may sign or verify at once. The
/// price is deriving the public point from the seed on each `sign`, about as costly as signing itself:
/// ~45 µs extra on the 2-core dev box (`openssl speed`: sign 46 µs, verify 140 µs).
public enum Ed25519 {
    public static let seedByteCount = 32
    public static let publicKeyByteCount = 32
    public static let signatureByteCount = 64

    /// A signing key. Its description and mirror are redacted so it never reaches a log or a `dump`.
    public struct PrivateKey: Sendable, CustomStringConvertible, CustomReflectable {
        /// The RFC 8032 private key: 32 random bytes from which the scalar and prefix are hashed.
        public let seed: [UInt8]
        public let publicKey: PublicKey

        /// A new random key.
        public init() throws(CryptoError) {
            try self.init(seed: SecureRandom.bytes(Ed25519.seedByteCount))
        }

        /// The key for a 32-byte seed (e.g. from a `*_FILE` secret). Throws on any other length.
        public init(seed: [UInt8]) throws(CryptoError) {
            guard seed.count == Ed25519.seedByteCount else {
                throw .invalidKeySize(expected: Ed25519.seedByteCount, actual: seed.count)
            }
            let key = try EVPKey(privateSeed: seed)
            var raw = [UInt8](repeating: 0, count: Ed25519.publicKeyByteCount)
            var length = raw.count
            let status = raw.withUnsafeMutableBufferPointer {
                EVP_PKEY_get_raw_public_key(key.pointer, $0.baseAddress, &length)
            }
            guard status == 1, length == Ed25519.publicKeyByteCount else {
                throw OpenSSLCall.failure("EVP_PKEY_get_raw_public_key")
            }
            self.seed = seed
            self.publicKey = try PublicKey(rawRepresentation: raw)
        }

        /// The 64-byte signature of `message`.
        public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
            let key = try EVPKey(privateSeed: seed)
            let context = try DigestContext()
            // Ed25519 hashes internally, so the digest must be NULL; it also only has one-shot signing.
            guard EVP_DigestSignInit(context.pointer, nil, nil, nil, key.pointer) == 1 else {
                throw OpenSSLCall.failure("EVP_DigestSignInit(ED25519)")
            }
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
            var length = signature.count
            let status = message.withNonNullBytes { messagePointer, messageCount in
                signature.withUnsafeMutableBufferPointer {
                    EVP_DigestSign(context.pointer, $0.baseAddress, &length, messagePointer, messageCount)
                }
            }
            guard status == 1, length == Ed25519.signatureByteCount else {
                throw OpenSSLCall.failure("EVP_DigestSign(ED25519)")
            }
            return signature
        }

        public var description: String { "Ed25519.PrivateKey(redacted)" }
        public var customMirror: Mirror { Mirror(self, children: [:]) }
    }

    /// A verification key: the 32-byte encoded point, as published in a JWKS (`x`).
    public struct PublicKey: Sendable, Hashable {
        public let rawRepresentation: [UInt8]
        /// The parsed OpenSSL key, built once: parsing costs a provider lookup under a global lock,
        /// which on a token-verifying hot path cost more than the verification itself.
        private let parsed: EVPKey?

        /// The key for 32 raw bytes. Throws on any other length; a 32-byte string that is not a valid
        /// point is accepted here and simply verifies nothing.
        public init(rawRepresentation: [UInt8]) throws(CryptoError) {
            guard rawRepresentation.count == Ed25519.publicKeyByteCount else {
                throw .invalidKeySize(expected: Ed25519.publicKeyByteCount, actual: rawRepresentation.count)
            }
            self.rawRepresentation = rawRepresentation
            parsed = try? EVPKey(publicKey: rawRepresentation)
        }

        public static func == (a: PublicKey, b: PublicKey) -> Bool { a.rawRepresentation == b.rawRepresentation }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }

        /// Whether `signature` is this key's signature of `message`. Any error, malformed input or
        /// wrong length is simply `false`.
        public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
            guard signature.count == Ed25519.signatureByteCount,
                let key = parsed, let context = try? DigestContext(),
                EVP_DigestVerifyInit(context.pointer, nil, nil, nil, key.pointer) == 1
            else {
                ERR_clear_error()
                return false
            }
            let status = signature.withUnsafeBufferPointer { signatureBuffer in
                message.withNonNullBytes { messagePointer, messageCount in
                    EVP_DigestVerify(
                        context.pointer, signatureBuffer.baseAddress, signatureBuffer.count, messagePointer,
                        messageCount)
                }
            }
            // A bad signature leaves an entry on this thread's error queue; it is not an error here.
            ERR_clear_error()
            return status == 1
        }
    }
}

/// An ED25519 EVP_PKEY, freed when the value dies. Immutable once made: OpenSSL allows one key to be
/// used by concurrent verifications, each with its own digest context.
private final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(privateSeed seed: [UInt8]) throws(CryptoError) {
        let key = seed.withUnsafeBufferPointer {
            EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, $0.baseAddress, $0.count)
        }
        guard let key else { throw OpenSSLCall.failure("EVP_PKEY_new_raw_private_key_ex(ED25519)") }
        pointer = key
    }

    init(publicKey raw: [UInt8]) throws(CryptoError) {
        let key = raw.withUnsafeBufferPointer {
            EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, $0.baseAddress, $0.count)
        }
        guard let key else { throw OpenSSLCall.failure("EVP_PKEY_new_raw_public_key_ex(ED25519)") }
        pointer = key
    }

    deinit { EVP_PKEY_free(pointer) }
}

/// An EVP_MD_CTX, freed when the value dies. Lives only within one call.
private final class DigestContext {
    let pointer: OpaquePointer

    init() throws(CryptoError) {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLCall.failure("EVP_MD_CTX_new") }
        pointer = context
    }

    deinit { EVP_MD_CTX_free(pointer) }
}
