internal import COpenSSL

/// The scrypt key-derivation function (RFC 7914) from OpenSSL: memory-hard, so password guessing on
/// GPUs and ASICs costs memory as well as time. `PasswordHasher` is the API for passwords; this is the
/// raw function (and what the RFC vectors test).
public enum Scrypt {
    /// Output length limits: enough for any key, small enough that a caller bug cannot allocate much.
    public static let lengthRange = 1...1024

    /// `length` bytes derived from `password` and `salt`.
    public static func deriveKey(
        password: [UInt8], salt: [UInt8], parameters: ScryptParameters, length: Int
    ) throws(CryptoError) -> [UInt8] {
        guard lengthRange.contains(length) else { throw .invalidParameter("scrypt output length \(length)") }
        var output = [UInt8](repeating: 0, count: length)
        let status = password.withNonNullChars { passwordPointer, passwordCount in
            salt.withNonNullBytes { saltPointer, saltCount in
                output.withUnsafeMutableBufferPointer {
                    EVP_PBE_scrypt(
                        passwordPointer, passwordCount, saltPointer, saltCount,
                        UInt64(parameters.n), UInt64(parameters.r), UInt64(parameters.p),
                        UInt64(parameters.memoryBytes), $0.baseAddress, length)
                }
            }
        }
        guard status == 1 else { throw OpenSSLCall.failure("EVP_PBE_scrypt(\(parameters))") }
        return output
    }
}
