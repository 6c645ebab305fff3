/// A password-hashing algorithm with its cost parameters: the policy for new hashes, and what a stored
/// hash says it was made with.
public enum PasswordHashAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// scrypt (RFC 7914), the default: memory-hard.
    case scrypt(ScryptParameters)
    /// PBKDF2-HMAC-SHA256 (RFC 8018): the documented alternative where memory-hardness must give way
    /// to FIPS compatibility or to hashes imported from elsewhere.
    case pbkdf2SHA256(iterations: Int)

    /// The policy for new hashes: scrypt with `ScryptParameters.default`.
    public static let `default` = PasswordHashAlgorithm.scrypt(.default)
    /// The PBKDF2 policy, at OWASP's 600,000 iterations for HMAC-SHA256.
    public static let pbkdf2Default = PasswordHashAlgorithm.pbkdf2SHA256(iterations: 600_000)
    /// Most PBKDF2 iterations a stored hash may ask for (about 8× the default): the DoS cap.
    public static let maximumPBKDF2Iterations = 5_000_000

    /// Throws when the parameters are unusable or past the DoS caps. scrypt parameters were checked when
    /// they were built; PBKDF2's iteration count is checked here.
    func validate() throws(CryptoError) {
        guard case .pbkdf2SHA256(let iterations) = self else { return }
        guard iterations >= 1 else { throw .invalidParameter("PBKDF2 iterations must be positive") }
        guard iterations <= Self.maximumPBKDF2Iterations else {
            throw .parametersTooExpensive("PBKDF2 i=\(iterations) exceeds \(Self.maximumPBKDF2Iterations)")
        }
    }

    /// The hash of `password` with `salt`, `length` bytes long.
    func derive(password: [UInt8], salt: [UInt8], length: Int) throws(CryptoError) -> [UInt8] {
        try validate()
        switch self {
        case .scrypt(let parameters):
            return try Scrypt.deriveKey(password: password, salt: salt, parameters: parameters, length: length)
        case .pbkdf2SHA256(let iterations):
            return try PBKDF2.deriveKey(
                password: password, salt: salt, iterations: iterations, length: length, using: .sha256)
        }
    }

    /// Whether a hash made with `self` should be redone under `policy`: a different algorithm, or any
    /// cost parameter below the policy's.
    func isWeaker(than policy: PasswordHashAlgorithm) -> Bool {
        switch (self, policy) {
        case (.scrypt(let stored), .scrypt(let wanted)): stored.isWeaker(than: wanted)
        case (.pbkdf2SHA256(let stored), .pbkdf2SHA256(let wanted)): stored < wanted
        default: true
        }
    }

    public var description: String {
        switch self {
        case .scrypt(let parameters): "scrypt(\(parameters))"
        case .pbkdf2SHA256(let iterations): "pbkdf2-sha256(i=\(iterations))"
        }
    }
}
