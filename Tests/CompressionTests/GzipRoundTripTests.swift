import Compression
import Testing

@Suite struct GzipRoundTripTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x41]),
        ("small", Array("hello, gzip".utf8)),
        ("5 MB random", TestData.random(count: 5 << 20)),
        ("5 MB compressible", TestData.compressible(count: 5 << 20)),
    ]

    @Test(arguments: 0..<inputs.count)
    func roundTrip(_ index: Int) throws {
        let (name, input) = Self.inputs[index]
        let compressed = try Gzip.compress(input)
        #expect(compressed.prefix(3) == [0x1F, 0x8B, 0x08], "\(name): gzip magic and deflate method")
        let output = try Gzip.decompress(compressed, maxOutputBytes: input.count)
        #expect(Bytes(output) == Bytes(input), "\(name)")
    }

    @Test func compressibleInputShrinks() throws {
        let input = TestData.compressible(count: 5 << 20)
        let compressed = try Gzip.compress(input)
        #expect(compressed.count < input.count / 10)
    }

    @Test(arguments: [Int32(-1), 0, 1, 9])
    func everyLevelRoundTrips(_ level: Int32) throws {
        let input = TestData.compressible(count: 100_000)
        let compressed = try Gzip.compress(input, level: level)
        #expect(try Bytes(Gzip.decompress(compressed, maxOutputBytes: input.count)) == Bytes(input))
    }

    @Test(arguments: [Int32(-2), 10, 100])
    func invalidLevelIsRejected(_ level: Int32) {
        #expect(throws: CompressionError.invalidLevel(level)) { try Gzip.compress([1, 2, 3], level: level) }
    }

    @Test func concatenatedMembersDecodeToTheConcatenation() throws {
        let a = Array("first member\n".utf8)
        let b = TestData.compressible(count: 70_000)
        let joined = try Gzip.compress(a) + Gzip.compress(b)
        #expect(try Bytes(Gzip.decompress(joined, maxOutputBytes: 1 << 20)) == Bytes(a + b))
    }
}
