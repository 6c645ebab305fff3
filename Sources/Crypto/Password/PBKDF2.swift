internal import COpenSSL

/// PBKDF2 (RFC 8018) with an HMAC, from OpenSSL. Not memory-hard, so it needs many iterations
/// (OWASP: 600,000 for HMAC-SHA256); supported for hashes that must be FIPS-compatible or were imported
/// from systems that used it. `PasswordHasher` is the API for passwords; this is the raw function.
public enum PBKDF2 {
    /// Output length limits: enough for any key, small enough that a caller bug cannot allocate much.
    public static let lengthRange = 1...1024

    /// `length` bytes derived from `password` and `salt` with `iterations` rounds of HMAC-`algorithm`.
    public static func deriveKey(
        password: [UInt8], salt: [UInt8], iterations: Int, length: Int, using algorithm: HashAlgorithm = .sha256
    ) throws(CryptoError) -> [UInt8] {
        guard lengthRange.contains(length) else { throw .invalidParameter("PBKDF2 output length \(length)") }
        guard iterations >= 1 else { throw .invalidParameter("PBKDF2 iterations must be positive") }
        let rounds = try OpenSSLCall.int32(iterations, "PBKDF2 iterations")
        let passwordLength = try OpenSSLCall.int32(password.count, "PBKDF2 password")
        let saltLength = try OpenSSLCall.int32(salt.count, "PBKDF2 salt")
        var output = [UInt8](repeating: 0, count: length)
        let md = algorithm.evpMD
        let status = password.withNonNullChars { passwordPointer, _ in
            salt.withNonNullBytes { saltPointer, _ in
                output.withUnsafeMutableBufferPointer {
                    PKCS5_PBKDF2_HMAC(
                        passwordPointer, passwordLength, saltPointer, saltLength, rounds, md, Int32(length),
                        $0.baseAddress)
                }
            }
        }
        guard status == 1 else { throw OpenSSLCall.failure("PKCS5_PBKDF2_HMAC(\(algorithm))") }
        return output
    }
}
