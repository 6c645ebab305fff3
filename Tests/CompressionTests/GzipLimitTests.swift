import Compression
import Testing

/// `maxOutputBytes` is what makes decompressing a client's body safe.
@Suite struct GzipLimitTests {
    @Test func exactLimitIsAccepted() throws {
        let input = TestData.compressible(count: 200_000)
        let compressed = try Gzip.compress(input)
        #expect(try Bytes(Gzip.decompress(compressed, maxOutputBytes: input.count)) == Bytes(input))
    }

    @Test func oneByteOverTheLimitIsRefused() throws {
        let input = TestData.compressible(count: 200_000)
        let compressed = try Gzip.compress(input)
        #expect(throws: CompressionError.outputLimitExceeded(limit: input.count - 1)) {
            try Gzip.decompress(compressed, maxOutputBytes: input.count - 1)
        }
    }

    @Test func zeroLimitAcceptsOnlyEmptyOutput() throws {
        #expect(try Gzip.decompress(Gzip.compress([]), maxOutputBytes: 0) == [])
        #expect(throws: CompressionError.outputLimitExceeded(limit: 0)) {
            try Gzip.decompress(Gzip.compress([7]), maxOutputBytes: 0)
        }
    }

    @Test func bombIsStoppedAtTheLimit() throws {
        // 256 MiB of zeros compresses to about 250 KiB.
        let stream = try DeflateStream(format: .gzip, level: 9)
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var bomb: [UInt8] = []
        for _ in 0..<256 { bomb += try stream.write(zeros) }
        bomb += try stream.finish()
        #expect(bomb.count < 1 << 20)
        #expect(throws: CompressionError.outputLimitExceeded(limit: 1 << 20)) {
            try Gzip.decompress(bomb, maxOutputBytes: 1 << 20)
        }
    }

    @Test func hugeLimitDoesNotOverflow() throws {
        let input = Array("fine".utf8)
        #expect(try Bytes(Gzip.decompress(Gzip.compress(input), maxOutputBytes: Int.max)) == Bytes(input))
    }
}
