import Testing

@testable import Crypto

/// The McGrew–Viega GCM test cases for 256-bit keys (13–16) and tamper refusal.
struct AESGCMTests {
    @Test func testCase13EmptyPlaintext() throws {
        let key = try AESGCM.Key(bytes: [UInt8](repeating: 0, count: 32))
        let box = try AESGCM.seal([], using: key, nonce: [UInt8](repeating: 0, count: 12), authenticating: [])
        #expect(box.ciphertext.isEmpty)
        #expect(Hex.encode(box.tag) == "530f8afbc74536b9a963b4f1c4cb738b")
        #expect(try AESGCM.open(box, using: key) == [])
    }

    @Test func testCase14OneBlock() throws {
        let key = try AESGCM.Key(bytes: [UInt8](repeating: 0, count: 32))
        let plaintext = [UInt8](repeating: 0, count: 16)
        let box = try AESGCM.seal(plaintext, using: key, nonce: [UInt8](repeating: 0, count: 12), authenticating: [])
        #expect(Hex.encode(box.ciphertext) == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(Hex.encode(box.tag) == "d0d1c8a799996bf0265b98b5d48ab919")
        #expect(try AESGCM.open(box, using: key) == plaintext)
    }

    @Test func testCase16WithAssociatedData() throws {
        let key = try AESGCM.Key(bytes: Hex.decode("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
        let plaintext = try Hex.decode(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = try Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let nonce = try Hex.decode("cafebabefacedbaddecaf888")
        let box = try AESGCM.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        #expect(
            Hex.encode(box.ciphertext)
                == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
        #expect(Hex.encode(box.tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(try AESGCM.open(box, using: key, authenticating: aad) == plaintext)
    }

    @Test func roundTripWithRandomNonce() throws {
        let key = try AESGCM.Key.generate()
        let plaintext = Array("+44 20 7946 0958".utf8)
        let aad = Array("users.phone:42".utf8)
        let first = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        let second = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        #expect(try AESGCM.open(first, using: key, authenticating: aad) == plaintext)
        let combined = try AESGCM.SealedBox(combined: second.combined)
        #expect(combined == second)
        #expect(second.combined.count == 12 + plaintext.count + 16)
        #expect(try AESGCM.open(combined, using: key, authenticating: aad) == plaintext)
    }

    @Test func tamperingAnywhereIsRefused() throws {
        let key = try AESGCM.Key.generate()
        let aad = Array("context".utf8)
        let combined = try AESGCM.seal(Array("secret field".utf8), using: key, authenticating: aad).combined
        // Flip one bit in every byte position in turn: nonce, ciphertext and tag alike.
        for index in combined.indices {
            var tampered = combined
            tampered[index] ^= 0x01
            let box = try AESGCM.SealedBox(combined: tampered)
            #expect(throws: CryptoError.authenticationFailure) {
                try AESGCM.open(box, using: key, authenticating: aad)
            }
        }
        let box = try AESGCM.SealedBox(combined: combined)
        #expect(throws: CryptoError.authenticationFailure) { try AESGCM.open(box, using: key) }
        #expect(throws: CryptoError.authenticationFailure) {
            try AESGCM.open(box, using: key, authenticating: Array("contexT".utf8))
        }
        #expect(throws: CryptoError.authenticationFailure) {
            try AESGCM.open(box, using: AESGCM.Key.generate(), authenticating: aad)
        }
        let truncated = try AESGCM.SealedBox(combined: Array(combined.dropLast(17) + combined.suffix(16)))
        #expect(throws: CryptoError.authenticationFailure) {
            try AESGCM.open(truncated, using: key, authenticating: aad)
        }
    }

    @Test func malformedKeysAndBoxesAreRefused() {
        #expect(throws: CryptoError.invalidKeySize(expected: 32, actual: 16)) {
            try AESGCM.Key(bytes: [UInt8](repeating: 0, count: 16))
        }
        #expect(throws: CryptoError.self) { try AESGCM.SealedBox(combined: [UInt8](repeating: 0, count: 27)) }
        #expect(throws: CryptoError.self) {
            try AESGCM.SealedBox(nonce: [0], ciphertext: [], tag: [UInt8](repeating: 0, count: 16))
        }
    }

    @Test func keyDescriptionIsRedacted() throws {
        let key = try AESGCM.Key(bytes: [UInt8](repeating: 0xab, count: 32))
        #expect(!"\(key)".contains("ab"))
        #expect(!String(describing: key).contains("171"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("171"))
    }
}
