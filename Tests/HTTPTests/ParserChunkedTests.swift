import Testing

@testable import HTTP

/// Chunked transfer coding (RFC 9112 §7.1): sizes, extensions, data CRLF, trailers.
@Suite("RequestParser: chunked bodies")
struct ParserChunkedTests {
    @Test func chunkedBodyIsReassembled() {
        #expect(expectAccepted(chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")).bodies == ["hello world"])
        #expect(expectAccepted(chunked("0\r\n\r\n")).bodies == [""])
        #expect(
            expectAccepted(chunked("a\r\n0123456789\r\nA\r\n0123456789\r\n000\r\n\r\n")).bodies == [
                String(repeating: "0123456789", count: 2)
            ])
        // Leading zeros in a size do not overflow.
        #expect(expectAccepted(chunked(String(repeating: "0", count: 30) + "1\r\nx\r\n0\r\n\r\n")).bodies == ["x"])
        // Chunk data is opaque: CR, LF and NUL inside it are data.
        #expect(expectAccepted(chunked("4\r\n\r\n\0\n\r\n0\r\n\r\n")).bodies == ["\r\n\0\n"])
    }

    @Test func pipelinedAfterChunked() {
        let input = chunked("3\r\nabc\r\n0\r\n\r\n") + chunked("2\r\nde\r\n0\r\n\r\n") + req("GET", "/next")
        let (heads, bodies) = expectAccepted(input, count: 3)
        #expect(bodies == ["abc", "de", ""])
        #expect(heads.last?.target == "/next")
    }

    @Test func badChunkSizesAre400() {
        for size in ["g", "0x5", "-1", "+1", "", " 5", "5.0", "\u{1}", "\t5", ";ext"] {
            expectRejected(chunked("\(size)\r\nhello\r\n0\r\n\r\n"), 400, "chunk size \(size.debugDescription)")
        }
        // 17 significant hex digits overflow Int.
        expectRejected(chunked("10000000000000000\r\n"), 400)
        expectRejected(chunked("fffffffffffffffffffff\r\n"), 400)
        // Missing last-chunk: an empty line where a size is due.
        expectRejected(chunked("3\r\nfoo\r\n\r\n"), 400)
        // Bare LF after the size.
        expectRejected(chunked("3\nfoo\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n"), 400)
    }

    @Test func chunkDataWithoutCRLFIs400() {
        expectRejected(chunked("5\r\nABCDE0\r\n"), 400)
        expectRejected(chunked("3\r\nabcd\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("3\r\nabc\n0\r\n\r\n"), 400)
        expectRejected(chunked("3\r\nabc\r0\r\n\r\n"), 400)
        expectRejected(chunked("3\r\nabc0\r\n\r\n"), 400)
    }

    @Test func chunkExtensionsAreIgnored() {
        let body =
            "5;ilovew3;somuchlove=aretheseparametersfor;another=withvalue\r\nhello\r\n6;blahblah;blah\r\n world\r\n0;last=1\r\n\r\n"
        #expect(expectAccepted(chunked(body)).bodies == ["hello world"])
        // Quoted values, including escaped quotes and semicolons inside them.
        let quoted =
            "5;ilovew3=\"I \\\"love\\\"; \\\\extensions\\\\\";somuchlove=\"aretheseparametersfor\";blah;foo=bar\r\nhello\r\n0\r\n\r\n"
        #expect(expectAccepted(chunked(quoted)).bodies == ["hello"])
        // BWS around ";" (RFC 9112 §7.1.1).
        #expect(expectAccepted(chunked("5 ;a=b\r\nhello\r\n0\r\n\r\n")).bodies == ["hello"])
    }

    @Test func chunkExtensionsMustNotHideControls() {
        expectRejected(chunked("5;a=\u{1}\r\nhello\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("5;a\nb\r\nhello\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), 400)
    }

    @Test func chunkLineTooLongIs400() {
        let limit = ParserLimits().maxChunkLineBytes
        expectRejected(chunked("5;" + String(repeating: "x", count: limit) + "\r\nhello\r\n0\r\n\r\n"), 400)
    }

    @Test func malformedChunkExtensionsAre400() {
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ).
        // After the size only BWS then ";" may follow; "2 erfrferferf" is not an extension but a
        // malformed size that other parsers may read differently (llhttp rejects it).
        expectRejected(chunked("2 erfrferferf\r\naa\r\n0 rrrr\r\n\r\n"), 400)
        expectRejected(chunked("5 6\r\nhello\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("a \r\n0123456789\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("2;\r\naa\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("5;a=\"abc\r\nhello\r\n0\r\n\r\n"), 400)
        expectRejected(chunked("5;a b\r\nhello\r\n0\r\n\r\n"), 400)
    }

    // MARK: - Trailers

    @Test func trailersAreConsumedAndTheNextRequestParsed() {
        let input =
            chunked("5\r\nhello\r\n0\r\nVary: *\r\nContent-Type: text/plain\r\nX-Checksum: abc \t\r\n\r\n")
            + req("GET", "/after")
        let (heads, bodies) = expectAccepted(input, count: 2)
        #expect(bodies == ["hello", ""])
        #expect(heads.map(\.target) == ["/upload", "/after"])
        // A trailer that looks like a request line is not one, and a trailer cannot change framing.
        let tricky = chunked("0\r\nContent-Length: 20\r\n\r\n") + req("GET", "/after")
        #expect(expectAccepted(tricky, count: 2).heads.last?.target == "/after")
    }

    @Test func malformedTrailersAre400() {
        expectRejected(chunked("0\r\nX : 1\r\n\r\n"), 400)
        expectRejected(chunked("0\r\nX: 1\r\n fold\r\n\r\n"), 400)
        expectRejected(chunked("0\r\nX: a\u{1}b\r\n\r\n"), 400)
        expectRejected(chunked("0\r\nX: 1\n\r\n"), 400)
        expectRejected(chunked("0\r\nX: 1\r\n\n"), 400)
        expectRejected(chunked("0\r\nGET / HTTP/1.1\r\n\r\n"), 400)
        expectRejected(chunked("0\r\n@: 1\r\n\r\n"), 400)
    }

    @Test func trailerSectionOverLimitIs431() {
        let limit = ParserLimits().maxTrailerBytes
        #expect(limit == 8 * 1024)
        expectAccepted(chunked("0\r\nX: " + String(repeating: "t", count: limit - 100) + "\r\n\r\n"))
        expectRejected(chunked("0\r\nX: " + String(repeating: "t", count: limit) + "\r\n\r\n"), 431)
        let many = (0..<200).map { "X-\($0): " + String(repeating: "t", count: 40) + "\r\n" }.joined()
        expectRejected(chunked("0\r\n" + many + "\r\n"), 431)
    }
}
