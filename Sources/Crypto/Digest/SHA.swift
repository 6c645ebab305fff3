/// SHA-256 (FIPS 180-4): the general-purpose digest, e.g. for storing refresh tokens and API keys hashed
/// (they are 256-bit random, so a fast unsalted hash is enough) and for content fingerprints.
public enum SHA256 {
    public static let byteCount = 32

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        try HashAlgorithm.sha256.digest(bytes)
    }

    /// The digest as 64 lowercase hex characters.
    public static func hexHash(_ bytes: [UInt8]) throws(CryptoError) -> String {
        Hex.encode(try hash(bytes))
    }
}

/// SHA-512 (FIPS 180-4), for callers that want a 64-byte digest.
public enum SHA512 {
    public static let byteCount = 64

    /// The 64-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        try HashAlgorithm.sha512.digest(bytes)
    }

    /// The digest as 128 lowercase hex characters.
    public static func hexHash(_ bytes: [UInt8]) throws(CryptoError) -> String {
        Hex.encode(try hash(bytes))
    }
}

/// SHA-1 (FIPS 180-4). Present only because TOTP (RFC 6238) is defined over HMAC-SHA1; SHA-1 is broken
/// for collision resistance, so never use it to identify or sign content.
public enum SHA1 {
    public static let byteCount = 20

    /// The 20-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        try HashAlgorithm.sha1.digest(bytes)
    }

    /// The digest as 40 lowercase hex characters.
    public static func hexHash(_ bytes: [UInt8]) throws(CryptoError) -> String {
        Hex.encode(try hash(bytes))
    }
}
