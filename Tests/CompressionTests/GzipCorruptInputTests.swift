import Compression
import Testing

@Suite struct GzipCorruptInputTests {
    static let original = TestData.compressible(count: 50_000)

    static func compressed() throws -> [UInt8] { try Gzip.compress(original) }

    func expectCorrupt(_ input: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            try Gzip.decompress(input, maxOutputBytes: 1 << 20)
        } throws: { error in
            guard case .corruptInput = error as? CompressionError else { return false }
            return true
        }
    }

    @Test func emptyInputIsTruncated() {
        #expect(throws: CompressionError.truncatedInput) { try Gzip.decompress([], maxOutputBytes: 100) }
    }

    @Test(arguments: [1, 2, 10, 100, 1000])
    func cutShortIsTruncated(_ dropped: Int) throws {
        let data = try Self.compressed()
        #expect(throws: CompressionError.truncatedInput) {
            try Gzip.decompress(Array(data.dropLast(dropped)), maxOutputBytes: 1 << 20)
        }
    }

    @Test func headerOnlyIsTruncated() throws {
        let data = try Self.compressed()
        #expect(throws: CompressionError.truncatedInput) {
            try Gzip.decompress(Array(data.prefix(10)), maxOutputBytes: 1 << 20)
        }
    }

    @Test func badMagicIsCorrupt() throws {
        var data = try Self.compressed()
        data[0] = 0x1E
        expectCorrupt(data)
    }

    @Test func plainTextIsCorrupt() {
        expectCorrupt(Array("this is not gzip at all, just text".utf8))
    }

    @Test func zlibFramingIsNotGzip() throws {
        let stream = try DeflateStream(format: .zlib)
        let zlib = try stream.write(Self.original) + stream.finish()
        expectCorrupt(zlib)
    }

    @Test func flippedCRCIsCorrupt() throws {
        var data = try Self.compressed()
        data[data.count - 8] ^= 0xFF  // first byte of the CRC-32 trailer
        expectCorrupt(data)
    }

    @Test func wrongLengthIsCorrupt() throws {
        var data = try Self.compressed()
        data[data.count - 4] ^= 0x01  // first byte of ISIZE
        expectCorrupt(data)
    }

    @Test func damagedDataIsCorrupt() throws {
        // Every single-byte flip in the body must be caught (by the decoder or the CRC).
        let data = try Self.compressed()
        for index in stride(from: 10, to: data.count - 8, by: max(1, (data.count - 18) / 50)) {
            var damaged = data
            damaged[index] ^= 0x55
            #expect(throws: (any Error).self, "byte \(index)") {
                try Gzip.decompress(damaged, maxOutputBytes: 1 << 20)
            }
        }
    }

    @Test func trailingGarbageIsCorrupt() throws {
        expectCorrupt(try Self.compressed() + Array("garbage".utf8))
        expectCorrupt(try Self.compressed() + [0, 0, 0, 0])
    }
}
