import Crypto
import Testing

/// Key-id framing, rotation and context binding of at-rest field encryption.
struct FieldCipherTests {
    static let plaintext = Array("1985-04-12".utf8)
    static let context = Array("users.birthdate:7f3a".utf8)

    @Test func roundTripAndLayout() throws {
        let cipher = try FieldCipher(current: (id: 3, key: .generate()))
        let sealed = try cipher.seal(Self.plaintext, context: Self.context)
        #expect(sealed.count == Self.plaintext.count + FieldCipher.overhead)
        #expect(sealed[0] == 3)
        #expect(try FieldCipher.keyID(of: sealed) == 3)
        #expect(try cipher.open(sealed, context: Self.context) == Self.plaintext)
        #expect(!cipher.needsReencryption(sealed))
    }

    @Test func rotationKeepsOldRowsReadable() throws {
        let old = try AESGCM.Key.generate()
        let new = try AESGCM.Key.generate()
        let before = try FieldCipher(current: (id: 1, key: old))
        let oldRow = try before.seal(Self.plaintext, context: Self.context)

        let after = try FieldCipher(current: (id: 2, key: new), previous: [(id: 1, key: old)])
        #expect(try after.open(oldRow, context: Self.context) == Self.plaintext)
        #expect(after.needsReencryption(oldRow))
        let newRow = try after.seal(Self.plaintext, context: Self.context)
        #expect(newRow[0] == 2)
        #expect(!after.needsReencryption(newRow))
        // The old deployment cannot read rows written under the key it has never seen.
        #expect(throws: CryptoError.unknownKeyID(2)) { try before.open(newRow, context: Self.context) }
    }

    @Test func unknownKeyIDIsRefused() throws {
        let cipher = try FieldCipher(current: (id: 1, key: .generate()))
        var sealed = try cipher.seal(Self.plaintext)
        sealed[0] = 9
        #expect(throws: CryptoError.unknownKeyID(9)) { try cipher.open(sealed) }
    }

    @Test func swappedKeyIDIsRefused() throws {
        // Same key under two ids: only the authenticated id opens it.
        let key = try AESGCM.Key.generate()
        let cipher = try FieldCipher(current: (id: 1, key: key), previous: [(id: 2, key: key)])
        var sealed = try cipher.seal(Self.plaintext)
        sealed[0] = 2
        #expect(throws: CryptoError.authenticationFailure) { try cipher.open(sealed) }
    }

    @Test func tamperingOrOtherContextIsRefused() throws {
        let cipher = try FieldCipher(current: (id: 1, key: .generate()))
        let sealed = try cipher.seal(Self.plaintext, context: Self.context)
        for index in 1..<sealed.count {
            var tampered = sealed
            tampered[index] ^= 0x80
            #expect(throws: CryptoError.authenticationFailure) { try cipher.open(tampered, context: Self.context) }
        }
        #expect(throws: CryptoError.authenticationFailure) {
            try cipher.open(sealed, context: Array("users.birthdate:other".utf8))
        }
        #expect(throws: CryptoError.self) { try cipher.open(Array(sealed.prefix(28))) }
        #expect(throws: CryptoError.self) { try cipher.open([]) }
        #expect(cipher.needsReencryption([]))
    }

    @Test func duplicateKeyIDsAreRefused() throws {
        let key = try AESGCM.Key.generate()
        #expect(throws: CryptoError.self) { try FieldCipher(current: (id: 1, key: key), previous: [(id: 1, key: key)]) }
    }
}
