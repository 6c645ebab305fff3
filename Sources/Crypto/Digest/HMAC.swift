internal import COpenSSL

/// HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-512: a keyed MAC for signing webhooks, cookies and
/// CSRF tokens, and the core of TOTP.
///
/// Unforgeable without the key. Compare received MACs with `ConstantTime.equals`, never `==`, or
/// `isValid(_:for:key:using:)`, which does.
public enum HMAC {
    /// HMAC-`algorithm` of `message` under `key`. Any key length works (longer than the block size is
    /// hashed first, per RFC 2104); use at least `algorithm.byteCount` random bytes.
    public static func authenticationCode(
        for message: [UInt8], key: [UInt8], using algorithm: HashAlgorithm
    ) throws(CryptoError) -> [UInt8] {
        let keyLength = try OpenSSLCall.int32(key.count, "HMAC key")
        var output = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        let md = algorithm.evpMD
        // HMAC() (not deprecated, unlike HMAC_CTX) is OpenSSL 3's one-shot wrapper around EVP_MAC.
        // Non-NULL pointers even when empty: a NULL key means "no key" to OpenSSL, not "empty key".
        let result = key.withNonNullBytes { keyPointer, _ in
            message.withNonNullBytes { messagePointer, messageCount in
                output.withUnsafeMutableBufferPointer {
                    COpenSSL.HMAC(md, keyPointer, keyLength, messagePointer, messageCount, $0.baseAddress, &length)
                }
            }
        }
        guard result != nil, Int(length) == algorithm.byteCount else {
            throw OpenSSLCall.failure("HMAC(\(algorithm))")
        }
        return output
    }

    /// Whether `code` is the HMAC of `message` under `key`, compared in constant time.
    public static func isValid(
        _ code: [UInt8], for message: [UInt8], key: [UInt8], using algorithm: HashAlgorithm
    ) -> Bool {
        guard let expected = try? authenticationCode(for: message, key: key, using: algorithm) else { return false }
        return ConstantTime.equals(expected, code)
    }
}
