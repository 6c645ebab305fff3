import Compression
import Testing

/// Our gzip must be what the rest of the world reads and writes.
@Suite(.enabled(if: SystemGzip.isAvailable, "needs the gzip binary"))
struct GzipInteropTests {
    static let inputs: [[UInt8]] = [
        [],
        Array("interop".utf8),
        TestData.compressible(count: 5 << 20),
        TestData.random(count: 1 << 20),
    ]

    @Test(arguments: 0..<inputs.count)
    func systemGzipReadsOurOutput(_ index: Int) throws {
        let input = Self.inputs[index]
        let compressed = try Gzip.compress(input)
        #expect(try Bytes(SystemGzip.run(["-dc"], input: compressed)) == Bytes(input))
    }

    @Test(arguments: 0..<inputs.count)
    func weReadSystemGzipOutput(_ index: Int) throws {
        let input = Self.inputs[index]
        let compressed = try SystemGzip.run(["-c"], input: input)
        #expect(try Bytes(Gzip.decompress(compressed, maxOutputBytes: input.count)) == Bytes(input))
    }

    @Test func weReadSystemGzipAtBestCompression() throws {
        let input = TestData.compressible(count: 300_000)
        let compressed = try SystemGzip.run(["-9", "-c"], input: input)
        #expect(try Bytes(Gzip.decompress(compressed, maxOutputBytes: input.count)) == Bytes(input))
    }

    @Test func systemGzipReadsStreamedOutput() throws {
        let input = TestData.compressible(count: 1 << 20)
        let stream = try DeflateStream(format: .gzip, level: 6)
        var compressed: [UInt8] = []
        for start in stride(from: 0, to: input.count, by: 10_000) {
            compressed += try stream.write(Array(input[start..<min(start + 10_000, input.count)]))
        }
        compressed += try stream.finish()
        #expect(try Bytes(SystemGzip.run(["-dc"], input: compressed)) == Bytes(input))
    }
}
