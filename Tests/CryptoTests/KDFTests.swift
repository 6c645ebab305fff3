import Crypto
import Testing

/// RFC 7914 §11 (PBKDF2-HMAC-SHA256) and §12 (scrypt) vectors, and the scrypt parameter caps.
struct KDFTests {
    @Test func pbkdf2SHA256Vectors() throws {
        let one = try PBKDF2.deriveKey(
            password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(
            Hex.encode(one)
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        let many = try PBKDF2.deriveKey(
            password: Array("Password".utf8), salt: Array("NaCl".utf8), iterations: 80000, length: 64)
        #expect(
            Hex.encode(many)
                == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    }

    @Test func pbkdf2RefusesBadArguments() {
        #expect(throws: CryptoError.self) { try PBKDF2.deriveKey(password: [], salt: [], iterations: 0, length: 32) }
        #expect(throws: CryptoError.self) { try PBKDF2.deriveKey(password: [], salt: [], iterations: 1, length: 0) }
    }

    @Test func scryptEmptyPasswordVector() throws {
        let key = try Scrypt.deriveKey(
            password: [], salt: [], parameters: ScryptParameters(logN: 4, r: 1, p: 1), length: 64)
        #expect(
            Hex.encode(key)
                == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
    }

    @Test func scryptNaClVector() throws {
        let key = try Scrypt.deriveKey(
            password: Array("password".utf8), salt: Array("NaCl".utf8),
            parameters: ScryptParameters(logN: 10, r: 8, p: 16), length: 64)
        #expect(
            Hex.encode(key)
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func scryptSodiumChlorideVector() throws {
        let key = try Scrypt.deriveKey(
            password: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8),
            parameters: ScryptParameters(logN: 14, r: 8, p: 1), length: 64)
        #expect(
            Hex.encode(key)
                == "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
    }

    @Test func scryptParameterCaps() throws {
        // The default is accepted, and within every cap with room to raise it.
        let defaults = try ScryptParameters(logN: 15, r: 8, p: 3)
        #expect(defaults == .default)
        #expect(defaults.memoryBytes < 33 << 20)
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 0, r: 8, p: 1) }
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 15, r: 0, p: 1) }
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 15, r: 8, p: 0) }
        // N must stay below 2^(16·r).
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 16, r: 1, p: 1) }
        // Memory: 2^20 · 8 · 128 = 1 GiB.
        #expect(throws: CryptoError.parametersTooExpensive("scrypt needs 1024 MiB, cap 256")) {
            try ScryptParameters(logN: 20, r: 8, p: 1)
        }
        // Work: 2^17 · 8 · 16 = 2^24 > 2^23, though memory (128 MiB) would pass.
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 17, r: 8, p: 16) }
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 40, r: 8, p: 1) }
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 10, r: 1000, p: 1) }
        #expect(throws: CryptoError.self) { try ScryptParameters(logN: 10, r: 8, p: 1000) }
        #expect(try ScryptParameters(logN: 17, r: 8, p: 1).memoryBytes < ScryptParameters.maximumMemoryBytes)
    }
}
