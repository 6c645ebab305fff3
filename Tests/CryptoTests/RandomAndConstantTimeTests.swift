import Crypto
import Testing

struct RandomAndConstantTimeTests {
    @Test func randomBytesHaveTheRequestedLengthAndDiffer() throws {
        #expect(try SecureRandom.bytes(0) == [])
        let first = try SecureRandom.bytes(32)
        let second = try SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(first != second)
        // 4 KiB of zeros from a working generator has probability 2^-32768.
        #expect(try SecureRandom.bytes(4096).contains { $0 != 0 })
    }

    @Test func negativeCountIsRefused() {
        #expect(throws: CryptoError.self) { try SecureRandom.bytes(-1) }
    }

    @Test func tokenIsBase64URLOf32Bytes() throws {
        let token = try SecureRandom.token()
        #expect(token.count == 43)
        #expect(try Base64URL.decode(token).count == 32)
        #expect(try SecureRandom.token() != token)
        #expect(try Base64URL.decode(SecureRandom.token(bytes: 16)).count == 16)
    }

    @Test func constantTimeEquals() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
    }
}
