/// Hashes and verifies user passwords: scrypt by default, PBKDF2-HMAC-SHA256 as the alternative, each
/// hash with its own 16-byte random salt and its parameters stored alongside (`PasswordHash`).
///
/// Security properties: slow, salted, memory-hard hashing (scrypt); constant-time comparison; stored
/// parameters capped so a bad row cannot exhaust the server; `needsRehash` so the cost can be raised and
/// users upgraded at their next login.
///
/// Passwords are hashed as their UTF-8 bytes, without Unicode normalisation. Callers bound their length
/// at the edge (e.g. 8...1024 bytes); the KDFs themselves cost the same for long inputs, since both
/// hash the password once up front. Hashing takes hundreds of milliseconds: run it off the I/O threads
/// and rate-limit logins. When a login names an unknown user, verify against a dummy hash anyway so the
/// response time does not reveal which accounts exist.
public struct PasswordHasher: Sendable {
    /// Length of the random salt for new hashes.
    public static let saltByteCount = 16
    /// Length of the derived hash for new hashes.
    public static let hashByteCount = 32

    /// The algorithm and parameters for new hashes.
    public let policy: PasswordHashAlgorithm

    public init(policy: PasswordHashAlgorithm = .default) {
        self.policy = policy
    }

    /// A PHC string for `password` under the current policy, with a fresh random salt.
    public func hash(_ password: String) throws(CryptoError) -> String {
        let salt = try SecureRandom.bytes(Self.saltByteCount)
        let hash = try policy.derive(password: Array(password.utf8), salt: salt, length: Self.hashByteCount)
        return try PasswordHash(algorithm: policy, salt: salt, hash: hash).encoded
    }

    /// Whether `password` matches the stored PHC string `encoded`, whatever algorithm and parameters it
    /// was made with. A malformed, unsupported or over-cap string never matches.
    public func verify(_ password: String, against encoded: String) -> Bool {
        guard let stored = try? PasswordHash(parsing: encoded),
            let candidate = try? stored.algorithm.derive(
                password: Array(password.utf8), salt: stored.salt, length: stored.hash.count)
        else { return false }
        return ConstantTime.equals(candidate, stored.hash)
    }

    /// Whether `encoded` should be replaced by a fresh hash of the password (which the caller has just
    /// verified): another algorithm, a cost parameter below the policy, or a string that does not parse.
    /// (Salts and hashes shorter than ours do not parse.)
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = try? PasswordHash(parsing: encoded) else { return true }
        return stored.algorithm.isWeaker(than: policy)
    }
}
