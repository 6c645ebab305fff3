import Crypto
import Testing

/// Round trips, refusals, PHC encoding, rehash policy and DoS caps. Most tests use cheap parameters so
/// the suite stays fast; `defaultPolicyRoundTrip` exercises the real default once.
struct PasswordHasherTests {
    static func cheap() throws -> PasswordHasher {
        PasswordHasher(policy: .scrypt(try ScryptParameters(logN: 10, r: 8, p: 1)))
    }

    @Test func defaultPolicyRoundTrip() throws {
        let hasher = PasswordHasher()
        let encoded = try hasher.hash("correct horse battery staple")
        #expect(encoded.hasPrefix("$scrypt$ln=15,r=8,p=3$"))
        #expect(hasher.verify("correct horse battery staple", against: encoded))
        #expect(!hasher.verify("correct horse battery stapl", against: encoded))
        #expect(!hasher.needsRehash(encoded))
    }

    @Test func saltsAreRandomAndSized() throws {
        let cheap = try Self.cheap()
        let first = try PasswordHash(parsing: cheap.hash("same"))
        let second = try PasswordHash(parsing: cheap.hash("same"))
        #expect(first.salt.count == 16)
        #expect(first.hash.count == 32)
        #expect(first.salt != second.salt)
        #expect(first.hash != second.hash)
    }

    @Test func wrongPasswordsAreRefused() throws {
        let cheap = try Self.cheap()
        let encoded = try cheap.hash("pässword")
        #expect(cheap.verify("pässword", against: encoded))
        #expect(!cheap.verify("password", against: encoded))
        #expect(!cheap.verify("Pässword", against: encoded))
        #expect(!cheap.verify("", against: encoded))
        #expect(!cheap.verify("pässword ", against: encoded))
    }

    @Test func emptyPasswordStillHashes() throws {
        let cheap = try Self.cheap()
        let encoded = try cheap.hash("")
        #expect(cheap.verify("", against: encoded))
        #expect(!cheap.verify(" ", against: encoded))
    }

    @Test func tamperedEncodingsAreRefused() throws {
        let cheap = try Self.cheap()
        let encoded = try cheap.hash("secret")
        let stored = try PasswordHash(parsing: encoded)
        var hash = stored.hash
        hash[0] ^= 1
        var salt = stored.salt
        salt[15] ^= 1
        let tampered = [
            try PasswordHash(algorithm: stored.algorithm, salt: stored.salt, hash: hash).encoded,
            try PasswordHash(algorithm: stored.algorithm, salt: salt, hash: stored.hash).encoded,
            encoded.replacingFirst("ln=10", with: "ln=11"),
            encoded.replacingFirst("p=1", with: "p=2"),
            encoded.replacingFirst("$scrypt$", with: "$scrypt2$"),
            encoded.replacingFirst("ln=10,r=8", with: "r=8,ln=10"),
            String(encoded.dropLast()),  // a prefix of the right hash: refused only by the length minimum
            encoded + "$",
            "",
            "$scrypt$ln=10,r=8,p=1$$",
        ]
        for candidate in tampered {
            #expect(candidate != encoded)
            #expect(!cheap.verify("secret", against: candidate), "accepted \(candidate)")
        }
    }

    @Test func encodingRoundTripsThroughParsing() throws {
        let cheap = try Self.cheap()
        let encoded = try cheap.hash("x")
        #expect(try PasswordHash(parsing: encoded).encoded == encoded)
        // PHC base64 has no padding.
        #expect(!encoded.split(separator: "$").suffix(2).contains { $0.contains("=") })
    }

    @Test func needsRehashWhenBelowPolicy() throws {
        let cheap = try Self.cheap()
        let strong = PasswordHasher(policy: .scrypt(try ScryptParameters(logN: 11, r: 8, p: 2)))
        let weak = try cheap.hash("pw")
        #expect(strong.needsRehash(weak))
        #expect(!cheap.needsRehash(weak))
        let current = try strong.hash("pw")
        #expect(!strong.needsRehash(current))
        // Above policy is fine; another algorithm or garbage is not.
        #expect(!cheap.needsRehash(current))
        let pbkdf2 = "$pbkdf2-sha256$i=600000$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 43)
        #expect(strong.needsRehash(pbkdf2))
        #expect(strong.needsRehash("garbage"))
    }

    @Test func pbkdf2HashesVerifyAsTheAlternative() throws {
        let cheap = try Self.cheap()
        let pbkdf2 = PasswordHasher(policy: .pbkdf2SHA256(iterations: 1000))
        let encoded = try pbkdf2.hash("hunter2")
        #expect(encoded.hasPrefix("$pbkdf2-sha256$i=1000$"))
        // Any hasher verifies any supported stored format, whatever its own policy.
        #expect(cheap.verify("hunter2", against: encoded))
        #expect(!cheap.verify("hunter3", against: encoded))
        #expect(cheap.needsRehash(encoded))
        #expect(PasswordHasher(policy: .pbkdf2Default).needsRehash(encoded))
    }

    @Test(arguments: [
        "$scrypt$ln=20,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // 1 GiB
        "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$scrypt$ln=16,r=8,p=99$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$scrypt$ln=12,r=999,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$scrypt$ln=99999999999999,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=999999999$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func overCapParametersAreRefusedBeforeDerivation(_ encoded: String) throws {
        let cheap = try Self.cheap()
        // Parsing refuses them, and verify parses before it derives anything.
        #expect(throws: CryptoError.self) { try PasswordHash(parsing: encoded) }
        #expect(!cheap.verify("password", against: encoded))
        #expect(cheap.needsRehash(encoded))
    }

    @Test func outOfRangeSizesAreRefused() {
        let shortSalt = "$scrypt$ln=10,r=8,p=1$c2FsdA$" + String(repeating: "A", count: 43)
        let shortHash = "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAA"
        let shortSalt8 = "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHQ$" + String(repeating: "A", count: 43)
        let hash31 = "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 41) + "Q"
        let huge = "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 600)
        for encoded in [shortSalt, shortHash, shortSalt8, hash31, huge] {
            #expect(throws: CryptoError.self) { try PasswordHash(parsing: encoded) }
        }
        #expect(throws: CryptoError.unsupportedAlgorithm("argon2id")) {
            try PasswordHash(parsing: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g")
        }
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
