internal import COpenSSL

/// The hash functions this module offers, for HMAC, PBKDF2 and TOTP.
///
/// SHA-1 is here only because TOTP (RFC 6238) and every authenticator app default to HMAC-SHA1, where
/// its collision weakness does not matter; do not use it for anything else.
public enum HashAlgorithm: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sha1
    case sha256
    case sha512

    /// Output length in bytes.
    public var byteCount: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha512: 64
        }
    }

    public var description: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .sha512: "SHA-512"
        }
    }

    /// OpenSSL's built-in method. These getters are not deprecated in OpenSSL 3; they fetch from the
    /// default provider on use and return a static object, so nothing needs freeing.
    var evpMD: OpaquePointer? {
        switch self {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
    }

    /// The one-shot digest of `bytes`.
    func digest(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let md = evpMD
        let status = bytes.withNonNullBytes { input, count in
            output.withUnsafeMutableBufferPointer { EVP_Digest(input, count, $0.baseAddress, &length, md, nil) }
        }
        guard status == 1, Int(length) == byteCount else { throw OpenSSLCall.failure("EVP_Digest(\(self))") }
        return output
    }
}
