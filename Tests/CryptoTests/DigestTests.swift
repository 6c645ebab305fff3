import Crypto
import Testing

/// FIPS 180-4 example digests and the RFC 4231 / RFC 2202 HMAC test cases.
struct DigestTests {
    static let abc = Array("abc".utf8)

    @Test func sha256Vectors() throws {
        #expect(try SHA256.hexHash([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try SHA256.hexHash(Self.abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(try SHA256.hexHash(twoBlocks) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(try SHA256.hash(Self.abc).count == SHA256.byteCount)
    }

    @Test func sha512Vectors() throws {
        #expect(
            try SHA512.hexHash([])
                == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        #expect(
            try SHA512.hexHash(Self.abc)
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    @Test func sha1Vectors() throws {
        #expect(try SHA1.hexHash([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(try SHA1.hexHash(Self.abc) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func hmacCase1() throws {
        let key = [UInt8](repeating: 0x0b, count: 20)
        let message = Array("Hi There".utf8)
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: message, key: key, using: .sha256))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: message, key: key, using: .sha512))
                == "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: message, key: key, using: .sha1))
                == "b617318655057264e28bc0b6fb378c8ef146be00")
    }

    @Test func hmacCase2() throws {
        let key = Array("Jefe".utf8)
        let message = Array("what do ya want for nothing?".utf8)
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: message, key: key, using: .sha256))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: message, key: key, using: .sha512))
                == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: message, key: key, using: .sha1))
                == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    /// An empty key is a valid (if weak) HMAC key, not "no key": RFC 2104 pads it with zeros.
    @Test func hmacWithEmptyKeyAndMessage() throws {
        #expect(
            try Hex.encode(HMAC.authenticationCode(for: [], key: [], using: .sha256))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hmacIsValidChecksEveryByte() throws {
        let key = Array("key".utf8)
        let message = Array("message".utf8)
        let code = try HMAC.authenticationCode(for: message, key: key, using: .sha256)
        #expect(HMAC.isValid(code, for: message, key: key, using: .sha256))
        var flipped = code
        flipped[31] ^= 0x01
        #expect(!HMAC.isValid(flipped, for: message, key: key, using: .sha256))
        #expect(!HMAC.isValid(Array(code.dropLast()), for: message, key: key, using: .sha256))
        #expect(!HMAC.isValid(code, for: message + [0], key: key, using: .sha256))
        #expect(!HMAC.isValid(code, for: message, key: key, using: .sha512))
    }

    /// Piece by piece gives the one-shot digest, whatever the cut points (including empty pieces).
    @Test func streamedDigestMatchesOneShot() throws {
        let data = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for cut in [1, 63, 64, 65, 4096, 100_003] {
            let stream = try DigestStream(.sha256)
            var i = 0
            while i < data.count {
                try stream.update(Array(data[i..<min(i + cut, data.count)]))
                try stream.update([])
                i += cut
            }
            #expect(try stream.finalize() == SHA256.hash(data), "cut \(cut)")
        }
        #expect(try DigestStream(.sha512).finalize() == SHA512.hash([]))
    }
}
