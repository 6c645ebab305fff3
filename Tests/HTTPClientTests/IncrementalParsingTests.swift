import HTTP
import Testing

@testable import HTTPClient

/// The head parser and body decoder see bytes however the socket splits them: fed one byte at a time
/// they must reach the same result as fed everything at once.
@Suite struct IncrementalParsingTests {
    static let head = Array(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Empty:\r\nX-Spaced: \t a b \t\r\n\r\nrest".utf8)

    /// Parses `bytes` as they would arrive `step` bytes at a time.
    static func parseHead(_ bytes: [UInt8], step: Int) throws -> (HTTPClientResponseHead, Int)? {
        var parser = ResponseHeadParser()
        var buffer: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: step) {
            buffer += bytes[start..<min(start + step, bytes.count)]
            if let result = try parser.parse(buffer, from: 0) { return result }
        }
        return nil
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func aHeadSplitAnywhereParsesTheSame(step: Int) throws {
        let parsed = try #require(try Self.parseHead(Self.head, step: step))
        #expect(parsed.0.status == HTTPStatus(200, "OK"))
        #expect(parsed.0.headers[.contentType] == "text/plain")
        #expect(parsed.0.headers["X-Empty"] == "")
        #expect(parsed.0.headers["X-Spaced"] == "a b")
        #expect(Array(Self.head[parsed.1...]) == Array("rest".utf8))
    }

    @Test(arguments: [1, 2, 5])
    func aBareCRIsFoundAcrossSplits(step: Int) {
        let bytes = Array("HTTP/1.1 200 OK\r\nX-A: 1\rX\r\n\r\n".utf8)
        #expect(throws: HTTPClientError.malformedResponse("bare CR in the head")) {
            _ = try Self.parseHead(bytes, step: step)
        }
    }

    @Test(arguments: [1, 2, 3, 1000])
    func aChunkedBodySplitAnywhereDecodesTheSame(step: Int) throws {
        let wire = Array("4;a=b\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\nnext".utf8)
        var decoder = ResponseBodyDecoder(framing: .chunked)
        var body: [UInt8] = []
        var buffer: [UInt8] = []
        var index = 0
        for start in stride(from: 0, to: wire.count, by: step) where !decoder.isComplete {
            buffer += wire[start..<min(start + step, wire.count)]
            try decoder.decode(buffer, &index, into: &body)
        }
        #expect(decoder.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == "Wikipedia in \r\n\r\nchunks.")
        #expect("next".utf8.starts(with: buffer[index...]))  // what follows the body stays unconsumed
    }

    @Test func aLengthBodyStopsAtItsEnd() throws {
        var decoder = ResponseBodyDecoder(framing: .length(3))
        var body: [UInt8] = []
        var index = 0
        try decoder.decode(Array("abcdef".utf8), &index, into: &body)
        #expect(decoder.isComplete)
        #expect(body == Array("abc".utf8))
        #expect(index == 3)
    }
}
