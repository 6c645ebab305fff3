internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (seeded from the OS, reseeded after fork).
///
/// Use it for keys, salts, nonces and tokens; `SystemRandomNumberGenerator` is fine for jitter but gives
/// no promise about failure, whereas this throws instead of ever returning weak bytes.
public enum SecureRandom {
    /// `count` random bytes. Throws `randomFailure` when the generator cannot produce them.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        let length = try OpenSSLCall.int32(count, "random byte count")
        guard length > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, length) }
        guard status == 1 else {
            ERR_clear_error()
            throw .randomFailure
        }
        return output
    }

    /// An unguessable URL-safe token: `bytes` random bytes (32 = 256 bits by default) as base64url
    /// without padding, for refresh tokens, API keys and one-time links.
    public static func token(bytes: Int = 32) throws(CryptoError) -> String {
        Base64URL.encode(try Self.bytes(bytes))
    }
}
