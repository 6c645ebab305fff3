/// Why a Crypto call failed.
///
/// Messages never contain key material, passwords or plaintext, so an error is always safe to log.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A key, seed or nonce has the wrong length for its algorithm.
    case invalidKeySize(expected: Int, actual: Int)
    /// An argument is outside the range the operation supports; `reason` names it.
    case invalidParameter(String)
    /// Text that should be Hex, Base64, Base32 or an encoded password hash is malformed.
    case invalidEncoding(String)
    /// Stored KDF parameters exceed the DoS caps: verifying would cost too much memory or CPU.
    case parametersTooExpensive(String)
    /// An encoded password hash names an algorithm this module does not verify.
    case unsupportedAlgorithm(String)
    /// Ciphertext, tag, nonce or associated data were modified, or the key is wrong.
    case authenticationFailure
    /// A sealed field names a key id that the cipher was not given.
    case unknownKeyID(UInt8)
    /// The OpenSSL random generator failed; nothing secret may be derived from its output.
    case randomFailure
    /// An OpenSSL call failed for a reason no valid input causes (allocation, provider loading).
    case openSSL(operation: String, reason: String)

    public var description: String {
        switch self {
        case .invalidKeySize(let expected, let actual): "invalid key size \(actual) (expected \(expected) bytes)"
        case .invalidParameter(let reason): "invalid parameter: \(reason)"
        case .invalidEncoding(let reason): "invalid encoding: \(reason)"
        case .parametersTooExpensive(let reason): "parameters exceed the allowed cost: \(reason)"
        case .unsupportedAlgorithm(let name): "unsupported algorithm \(name)"
        case .authenticationFailure: "authentication failed"
        case .unknownKeyID(let id): "unknown key id \(id)"
        case .randomFailure: "the random number generator failed"
        case .openSSL(let operation, let reason): "\(operation) failed: \(reason)"
        }
    }
}
