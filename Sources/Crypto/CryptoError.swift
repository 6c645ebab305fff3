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
    /// A TLS client setting is unusable (CA file missing or unreadable, bad host name); `reason` says which.
    case tlsConfiguration(String)
    /// The peer's certificate chain or host name did not verify; `reason` is OpenSSL's verify error
    /// string ("unable to get local issuer certificate", "hostname mismatch"…).
    case tlsVerificationFailed(String)
    /// The TLS handshake failed for a reason other than verification (protocol version, alert, reset).
    case tlsHandshakeFailed(String)
    /// Reading or writing a TLS stream failed: reset, truncated record, connection closed without
    /// close_notify, or a stream used after `close()`.
    case tlsConnectionFailed(String)
    /// A TLS operation (`handshake`, `read`, `write`) did not finish within the stream's timeout.
    case tlsTimedOut(String)

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
        case .tlsConfiguration(let reason): "TLS configuration: \(reason)"
        case .tlsVerificationFailed(let reason): "TLS certificate verification failed: \(reason)"
        case .tlsHandshakeFailed(let reason): "TLS handshake failed: \(reason)"
        case .tlsConnectionFailed(let reason): "TLS connection failed: \(reason)"
        case .tlsTimedOut(let operation): "TLS \(operation) timed out"
        }
    }
}
