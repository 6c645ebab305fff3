/// A stored password hash: algorithm, parameters, salt and hash, in the PHC string format
/// (`$scrypt$ln=15,r=8,p=3$<salt>$<hash>`, `$pbkdf2-sha256$i=600000$<salt>$<hash>`; salt and hash in
/// standard base64 without padding, as the PHC format specifies).
///
/// Parsing is strict and bounded: parameters in their fixed order, sizes within range, costs under the
/// DoS caps. A hash that fails to parse cannot be verified against, so no input reaches the KDF unchecked.
public struct PasswordHash: Sendable, Hashable {
    /// Accepted salt lengths: at least 128 bits (NIST SP 800-132); new hashes use 16 random bytes.
    public static let saltByteRange = 16...64
    /// Accepted hash lengths: at least the 32 bytes new hashes use. KDF output is prefix-stable, so a
    /// shorter minimum would let a truncated stored hash still verify.
    public static let hashByteRange = 32...64
    /// Longest string `init(parsing:)` reads: far above any valid hash, so garbage is cut off early.
    public static let maximumEncodedLength = 512

    public let algorithm: PasswordHashAlgorithm
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// A hash from its parts, checked against the same bounds as parsing.
    public init(algorithm: PasswordHashAlgorithm, salt: [UInt8], hash: [UInt8]) throws(CryptoError) {
        try algorithm.validate()
        guard Self.saltByteRange.contains(salt.count) else { throw .invalidEncoding("salt is \(salt.count) bytes") }
        guard Self.hashByteRange.contains(hash.count) else { throw .invalidEncoding("hash is \(hash.count) bytes") }
        self.algorithm = algorithm
        self.salt = salt
        self.hash = hash
    }

    /// Parses a PHC string. Throws `invalidEncoding`, `unsupportedAlgorithm`, `invalidParameter` or
    /// `parametersTooExpensive`.
    public init(parsing encoded: String) throws(CryptoError) {
        guard encoded.utf8.count <= Self.maximumEncodedLength else { throw .invalidEncoding("password hash too long") }
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count >= 2, fields[0].isEmpty else { throw .invalidEncoding("not a PHC string") }
        let algorithm: PasswordHashAlgorithm
        switch (fields[1], fields.count) {
        case ("scrypt", 5):
            let values = try Self.parameters(fields[2], names: ["ln", "r", "p"])
            algorithm = .scrypt(try ScryptParameters(logN: values[0], r: values[1], p: values[2]))
        case ("pbkdf2-sha256", 5):
            algorithm = .pbkdf2SHA256(iterations: try Self.parameters(fields[2], names: ["i"])[0])
        case ("scrypt", _), ("pbkdf2-sha256", _):
            throw .invalidEncoding("a \(fields[1]) PHC string has 5 fields")
        default:
            // Named as unsupported, not malformed: it is likely a hash from another system (argon2id).
            throw .unsupportedAlgorithm(String(fields[1].prefix(32)))
        }
        let salt = try Base64.decode(String(fields[3]))
        let hash = try Base64.decode(String(fields[4]))
        try self.init(algorithm: algorithm, salt: salt, hash: hash)
    }

    /// The PHC string.
    public var encoded: String {
        let parameters =
            switch algorithm {
            case .scrypt(let scrypt): "scrypt$ln=\(scrypt.logN),r=\(scrypt.r),p=\(scrypt.p)"
            case .pbkdf2SHA256(let iterations): "pbkdf2-sha256$i=\(iterations)"
            }
        return "$\(parameters)$\(Base64.encode(salt, padding: false))$\(Base64.encode(hash, padding: false))"
    }

    /// The values of `name=value` pairs, which must appear exactly once each, in the order of `names`.
    private static func parameters(_ field: Substring, names: [String]) throws(CryptoError) -> [Int] {
        let pairs = field.split(separator: ",", omittingEmptySubsequences: false)
        guard pairs.count == names.count else { throw .invalidEncoding("expected parameters \(names)") }
        var values: [Int] = []
        for (pair, name) in zip(pairs, names) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // At most 9 digits: no overflow, and far past every cap, which then rejects the value.
            guard parts.count == 2, parts[0] == name, (1...9).contains(parts[1].utf8.count),
                parts[1].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let value = Int(parts[1])
            else { throw .invalidEncoding("bad parameter \(name)") }
            values.append(value)
        }
        return values
    }
}
