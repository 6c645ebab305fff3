import Crypto
import Testing

/// RFC 4648 §10 vectors and the strictness rules of each decoder.
struct EncodingTests {
    static let inputs = ["", "f", "fo", "foo", "foob", "fooba", "foobar"]

    @Test func base64Vectors() throws {
        let expected = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]
        for (input, encoded) in zip(Self.inputs, expected) {
            #expect(Base64.encode(Array(input.utf8)) == encoded)
            #expect(try Base64.decode(encoded) == Array(input.utf8))
        }
        #expect(Base64.encode(Array("fo".utf8), padding: false) == "Zm8")
        #expect(try Base64.decode("Zm8") == Array("fo".utf8))
    }

    @Test func base64URLVectorsWithoutPadding() throws {
        let expected = ["", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"]
        for (input, encoded) in zip(Self.inputs, expected) {
            #expect(Base64URL.encode(Array(input.utf8)) == encoded)
            #expect(try Base64URL.decode(encoded) == Array(input.utf8))
        }
    }

    @Test func base64URLUsesTheURLAlphabetAndAcceptsPadding() throws {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64.encode([0xfb, 0xff, 0xbf]) == "+/+/")
        #expect(try Base64URL.decode("Zm9vYg==") == Array("foob".utf8))
        #expect(try Base64URL.decode("Zm9vYmE=") == Array("fooba".utf8))
    }

    @Test(arguments: [
        "+/+/",  // standard alphabet in a URL token
        "Zm9v!",  // not in any alphabet
        "Zm9 v",  // whitespace
        "Z",  // a length no encoder produces
        "Zm9vY",
        "Zh",  // 'h' leaves non-zero unused bits; the canonical form is "Zg"
        "Zm9=",  // same, three characters
        "Zg=",  // one pad where two are needed
        "Zg===",
        "Zm9v====",  // padding after a full group
        "Z=g=",  // padding in the middle
        "Zm9vYmFy\u{e9}",
    ])
    func base64URLRejects(_ text: String) {
        #expect(throws: CryptoError.self) { try Base64URL.decode(text) }
    }

    @Test func base64RejectsURLAlphabet() {
        #expect(throws: CryptoError.self) { try Base64.decode("-_-_") }
    }

    @Test func base64RoundTripsEveryLengthAndByte() throws {
        let bytes = (0..<256).map { UInt8($0) }
        for length in 0...70 {
            let slice = Array(bytes[(length * 3 % 100)..<(length * 3 % 100 + length)])
            #expect(try Base64URL.decode(Base64URL.encode(slice)) == slice)
            #expect(try Base64.decode(Base64.encode(slice)) == slice)
            #expect(try Base32.decode(Base32.encode(slice)) == slice)
        }
    }

    @Test func base32Vectors() throws {
        let expected = ["", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"]
        for (input, encoded) in zip(Self.inputs, expected) {
            #expect(Base32.encode(Array(input.utf8), padding: true) == encoded)
            #expect(try Base32.decode(encoded) == Array(input.utf8))
            let unpadded = String(encoded.prefix { $0 != "=" })
            #expect(Base32.encode(Array(input.utf8)) == unpadded)
            #expect(try Base32.decode(unpadded) == Array(input.utf8))
        }
    }

    @Test func base32ForgivesCaseAndSpaces() throws {
        #expect(try Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(try Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == Array("12345678901234567890".utf8))
    }

    @Test(arguments: ["M", "MZX", "MZXW6Y", "MZ1W", "MZ=XW", "MZ", "MZXW7", "MY8="])
    func base32Rejects(_ text: String) {
        // Lengths 1/3/6 are impossible; 0, 1, 8 and 9 are outside the alphabet; "MZ", "MZXW7" leave
        // non-zero unused bits ("MY" and "MZXW6" are the canonical forms).
        #expect(throws: CryptoError.self) { try Base32.decode(text) }
    }

    @Test func hexRoundTripAndRejects() throws {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(try Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(throws: CryptoError.self) { try Hex.decode("abc") }
        #expect(throws: CryptoError.self) { try Hex.decode("zz") }
    }
}
