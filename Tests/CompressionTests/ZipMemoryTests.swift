import Testing

@testable import Compression

/// The writer's memory must not grow with the data: only the central directory does, per entry.
struct ZipMemoryTests {
    /// Four chunks: room for a chunk of incompressible output plus zlib's pending bytes and array growth.
    static let bound = 4 * ZipWriter.chunkSize

    /// Counts what reaches the sink and remembers the largest single piece it was handed.
    final class CountingSink {
        var total: UInt64 = 0
        var largestPiece = 0
    }

    @Test func twoHundredMegabytesInChunks() throws {
        let counter = CountingSink()
        let zip = ZipWriter { bytes in
            counter.total += UInt64(bytes.count)
            counter.largestPiece = max(counter.largestPiece, bytes.count)
        }
        let chunk = TestData.compressible(count: 64 << 10)
        try zip.startEntry(name: "gdpr/everything.json")
        for _ in 0..<3200 { try zip.write(chunk) }  // 200 MiB
        try zip.finishEntry()
        try zip.finish()
        #expect(zip.bufferHighWater <= Self.bound, "buffered \(zip.bufferHighWater) bytes")
        #expect(counter.largestPiece <= Self.bound)
        #expect(counter.total > 0 && counter.total < 200 << 20 / 5)
    }

    /// One huge call with incompressible data: a writer that compressed the call in one go would hold
    /// the whole compressed result (32 MiB) before handing it on.
    @Test(arguments: [ZipWriter.Method.deflate, .store])
    func oneHugeWriteIsForwardedInPieces(_ method: ZipWriter.Method) throws {
        let counter = CountingSink()
        let zip = ZipWriter { bytes in
            counter.total += UInt64(bytes.count)
            counter.largestPiece = max(counter.largestPiece, bytes.count)
        }
        let data = TestData.random(count: 32 << 20)
        try zip.addEntry(name: "photos.bin", data: data, method: method)
        try zip.finish()
        #expect(zip.bufferHighWater <= Self.bound, "buffered \(zip.bufferHighWater) bytes")
        #expect(counter.largestPiece <= Self.bound)
        #expect(counter.total > UInt64(data.count))
    }
}
