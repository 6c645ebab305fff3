import Crypto
import Testing

/// RFC 8032 §7.1 vectors and refusal of anything that is not exactly the signed message and key.
struct Ed25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let seed: String
        let publicKey: String
        let message: String
        let signature: String
        var testDescription: String { name }
    }

    static let vectors = [
        Vector(
            name: "TEST 1",
            seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        Vector(
            name: "TEST 2",
            seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        Vector(
            name: "TEST 3",
            seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ]

    @Test(arguments: vectors)
    func rfc8032Vector(_ vector: Vector) throws {
        let key = try Ed25519.PrivateKey(seed: Hex.decode(vector.seed))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == vector.publicKey)
        let message = try Hex.decode(vector.message)
        let signature = try key.sign(message)
        #expect(Hex.encode(signature) == vector.signature)
        let publicKey = try Ed25519.PublicKey(rawRepresentation: Hex.decode(vector.publicKey))
        #expect(publicKey.verify(signature: signature, message: message))
    }

    @Test func verifyRefusesModifiedMessageSignatureOrKey() throws {
        let key = try Ed25519.PrivateKey()
        let message = Array("header.payload".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 64)
        #expect(key.publicKey.verify(signature: signature, message: message))
        #expect(!key.publicKey.verify(signature: signature, message: message + [0]))
        #expect(!key.publicKey.verify(signature: signature, message: Array("header.payloaD".utf8)))
        #expect(!key.publicKey.verify(signature: signature, message: []))
        for index in [0, 31, 32, 63] {
            var tampered = signature
            tampered[index] ^= 0x01
            #expect(!key.publicKey.verify(signature: tampered, message: message))
        }
        #expect(!key.publicKey.verify(signature: Array(signature.dropLast()), message: message))
        #expect(!key.publicKey.verify(signature: signature + [0], message: message))
        #expect(!key.publicKey.verify(signature: [], message: message))
        #expect(!(try Ed25519.PrivateKey()).publicKey.verify(signature: signature, message: message))
    }

    @Test func keysRoundTripThroughSeedAndAreDistinct() throws {
        let key = try Ed25519.PrivateKey()
        let restored = try Ed25519.PrivateKey(seed: key.seed)
        #expect(restored.publicKey == key.publicKey)
        // Ed25519 is deterministic: same key and message, same signature.
        #expect(try restored.sign([1, 2, 3]) == key.sign([1, 2, 3]))
        #expect(try Ed25519.PrivateKey().publicKey != key.publicKey)
    }

    @Test func malformedKeysAreRefused() {
        #expect(throws: CryptoError.invalidKeySize(expected: 32, actual: 31)) {
            try Ed25519.PrivateKey(seed: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) }
    }

    @Test func privateKeyDescriptionIsRedacted() throws {
        let key = try Ed25519.PrivateKey(seed: [UInt8](repeating: 0xcd, count: 32))
        #expect(!"\(key)".contains("cd"))
        #expect(!"\(key)".contains("205"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("205"))
    }

    /// Signing from many threads at once: each call builds and frees its own EVP objects.
    @Test func concurrentSigningAndVerifying() async throws {
        let key = try Ed25519.PrivateKey()
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let message = Array("message \(index)".utf8)
                    guard let signature = try? key.sign(message) else { return false }
                    return key.publicKey.verify(signature: signature, message: message)
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }
}
