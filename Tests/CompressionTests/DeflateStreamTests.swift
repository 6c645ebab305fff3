import Compression
import Testing

@Suite struct DeflateStreamTests {
    static let input = TestData.compressible(count: 600_000) + TestData.random(count: 100_000)

    /// Feeds `input` in pieces of the given sizes (cycling) and returns the whole stream.
    static func streamed(_ format: DeflateFormat, pieces: [Int], flushEvery: Int? = nil) throws -> [UInt8] {
        let stream = try DeflateStream(format: format, level: 6)
        var output: [UInt8] = []
        var start = 0
        var n = 0
        while start < input.count {
            let end = min(start + pieces[n % pieces.count], input.count)
            output += try stream.write(Array(input[start..<end]))
            if let flushEvery, n % flushEvery == 0 { output += try stream.flush() }
            start = end
            n += 1
        }
        return output + (try stream.finish())
    }

    @Test(arguments: [DeflateFormat.gzip, .raw, .zlib])
    func streamingDecodesToTheInput(_ format: DeflateFormat) throws {
        for pieces in [[1, 7, 4096], [65_536], [Self.input.count], [100_000, 0, 3]] {
            let output = try Self.streamed(format, pieces: pieces)
            #expect(
                try Bytes(Inflate.decompress(output, format: format, maxOutputBytes: Self.input.count))
                    == Bytes(Self.input))
        }
    }

    @Test func streamingGzipEqualsOneShotAfterDecompression() throws {
        let streamed = try Self.streamed(.gzip, pieces: [1000, 33_333])
        let oneShot = try Gzip.compress(Self.input)
        let a = try Gzip.decompress(streamed, maxOutputBytes: Self.input.count)
        let b = try Gzip.decompress(oneShot, maxOutputBytes: Self.input.count)
        #expect(Bytes(a) == Bytes(b))
        #expect(Bytes(a) == Bytes(Self.input))
    }

    @Test(arguments: [DeflateFormat.gzip, .raw, .zlib])
    func flushedStreamsDecode(_ format: DeflateFormat) throws {
        let output = try Self.streamed(format, pieces: [5000], flushEvery: 3)
        #expect(
            try Bytes(Inflate.decompress(output, format: format, maxOutputBytes: Self.input.count)) == Bytes(Self.input)
        )
    }

    @Test func flushMakesEverythingWrittenSoFarReadable() throws {
        // What a client of a gzip'd event stream sees before the stream ends.
        let stream = try DeflateStream(format: .raw)
        let event = Array("data: {\"progress\":42}\n\n".utf8)
        let partial = try stream.write(event) + stream.flush()
        // A sync flush ends with an empty stored block; inflating it alone yields the event, then
        // reports the missing end of stream.
        #expect(partial.suffix(4) == [0x00, 0x00, 0xFF, 0xFF])
        #expect(throws: CompressionError.truncatedInput) {
            try Inflate.decompress(partial, format: .raw, maxOutputBytes: 1000)
        }
        let whole = partial + (try stream.finish())
        #expect(try Bytes(Inflate.decompress(whole, format: .raw, maxOutputBytes: 1000)) == Bytes(event))
    }

    @Test func repeatedFlushIsHarmless() throws {
        let stream = try DeflateStream(format: .gzip)
        var output = try stream.write([1, 2, 3])
        output += try stream.flush()
        output += try stream.flush()
        output += try stream.finish()
        #expect(try Gzip.decompress(output, maxOutputBytes: 10) == [1, 2, 3])
    }

    @Test func emptyStreamIsValid() throws {
        for format in [DeflateFormat.gzip, .raw, .zlib] {
            let stream = try DeflateStream(format: format)
            let output = try stream.finish()
            #expect(try Inflate.decompress(output, format: format, maxOutputBytes: 0) == [])
        }
    }

    @Test func useAfterFinishThrows() throws {
        let stream = try DeflateStream()
        _ = try stream.finish()
        #expect(throws: CompressionError.streamFinished) { try stream.write([1]) }
        #expect(throws: CompressionError.streamFinished) { try stream.flush() }
        #expect(throws: CompressionError.streamFinished) { try stream.finish() }
    }

    @Test func invalidLevelIsRejected() {
        #expect(throws: CompressionError.invalidLevel(11)) { try DeflateStream(format: .raw, level: 11) }
    }

    @Test func droppingUnfinishedStreamsIsSafe() throws {
        // deinit must end the zlib stream whatever state it is in; run under valgrind/ASan to see leaks.
        for _ in 0..<100 {
            let stream = try DeflateStream(format: .gzip, level: 9)
            _ = try stream.write(TestData.random(count: 10_000))
        }
        #expect(Bool(true))
    }

    @Test func rawStreamHasNoWrapper() throws {
        // Raw deflate is what ZIP stores: no gzip magic, no zlib header.
        let stream = try DeflateStream(format: .raw)
        let output = try stream.write(Array("zip entry".utf8)) + stream.finish()
        #expect(output.prefix(2) != [0x1F, 0x8B])
        #expect(throws: (any Error).self) { try Inflate.decompress(output, format: .zlib, maxOutputBytes: 100) }
        #expect(try Inflate.decompress(output, format: .raw, maxOutputBytes: 100) == Array("zip entry".utf8))
    }
}
