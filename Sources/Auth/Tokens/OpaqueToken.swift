import Crypto
import Foundation

/// High-entropy secrets handed to clients once and stored only as SHA-256 digests: refresh tokens,
/// API keys, password-reset and verification tokens. 256 random bits make a slow hash pointless; the
/// digest means a leaked table holds nothing usable. A prefix tells the kinds apart at a glance (and
/// to secret scanners).
enum OpaqueToken {
    static let refreshPrefix = "rt_"
    static let apiKeyPrefix = "tsk_"
    static let oneTimePrefix = "ot_"

    static func generate(prefix: String) throws -> String {
        prefix + Base64URL.encode(try SecureRandom.bytes(32))
    }

    static func digest(_ token: String) throws -> Data {
        Data(try SHA256.hash(Array(token.utf8)))
    }

    /// Cheap shape check before any database work: the prefix and 43 base64url characters.
    static func isWellFormed(_ token: String, prefix: String) -> Bool {
        token.hasPrefix(prefix) && token.utf8.count == prefix.utf8.count + 43
            && token.utf8.dropFirst(prefix.utf8.count).allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F
            }
    }
}
