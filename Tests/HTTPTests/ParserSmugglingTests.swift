import Testing

@testable import HTTP

/// Body framing (RFC 9112 §6): the request-smuggling rules of DESIGN §2. Every input is fed whole, byte by
/// byte and split at every position.
@Suite("RequestParser: body framing and smuggling")
struct ParserSmugglingTests {
    // MARK: - Content-Length

    @Test func contentLengthVariantsThatAreValid() {
        #expect(expectAccepted(req("POST", "/", headers: ["Content-Length: 003"], body: "abc")).bodies == ["abc"])
        #expect(expectAccepted(req("POST", "/", headers: ["Content-Length:\t3\t "], body: "abc")).bodies == ["abc"])
        #expect(expectAccepted(req("POST", "/", headers: ["content-LENGTH: 3"], body: "abc")).bodies == ["abc"])
        #expect(expectAccepted(req("POST", "/", headers: ["Content-Length: 0"])).bodies == [""])
        // Identical duplicates, as separate fields or as a list, are one length (RFC 9112 §6.3).
        #expect(
            expectAccepted(req("POST", "/", headers: ["Content-Length: 3", "Content-Length: 3"], body: "abc")).bodies
                == ["abc"])
        #expect(expectAccepted(req("POST", "/", headers: ["Content-Length: 3, 3"], body: "abc")).bodies == ["abc"])
        #expect(
            expectAccepted(req("POST", "/", headers: ["Content-Length: 3", "Content-Length: 003"], body: "abc")).bodies
                == ["abc"])
        // HTTP/1.0 with a body.
        #expect(expectAccepted("POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\nHELLO").bodies == ["HELLO"])
    }

    @Test func contentLengthBodyIsNotReadPastItsLength() {
        let (heads, bodies) = expectAccepted(
            req("PUT", "/a", headers: ["Content-Length: 3"], body: "abc") + req("GET", "/b"), count: 2)
        #expect(heads.map(\.target) == ["/a", "/b"])
        #expect(bodies == ["abc", ""])
        // A "Content-Length" on a GET is honoured: its body is not the next request.
        let g = expectAccepted(
            req("GET", "/a", headers: ["Content-Length: 15"], body: "GET /b HTTP/1.1") + req("GET", "/c"), count: 2)
        #expect(g.heads.map(\.target) == ["/a", "/c"])
        #expect(g.bodies.first == "GET /b HTTP/1.1")
    }

    @Test func differingDuplicateContentLengthIs400() {
        expectRejected(req("POST", "/", headers: ["Content-Length: 1", "Content-Length: 2"], body: "ab"), 400)
        expectRejected(req("POST", "/", headers: ["Content-Length: 1, 2"], body: "ab"), 400)
        expectRejected(req("POST", "/", headers: ["Content-Length: 2", "Content-Length: 2, 3"], body: "abc"), 400)
    }

    @Test func nonDigitContentLengthIs400() {
        for value in ["+5", "-1", "5 5", "1 2", "0x5", "5a", "5.0", "1e3", "five", "", " ", ",", "\u{1}5"] {
            expectRejected(
                req("POST", "/", headers: ["Content-Length: \(value)"], body: "hello"), 400,
                "Content-Length \(value.debugDescription)")
        }
        // Non-ASCII digits (fullwidth 5) are not digits.
        expectRejected(req("POST", "/", headers: ["Content-Length: \u{FF15}"], body: "hello"), 400)
    }

    @Test func overflowingContentLengthIs400() {
        expectRejected(req("POST", "/", headers: ["Content-Length: 99999999999999999999"]), 400)  // 20 digits
        expectRejected(req("POST", "/", headers: ["Content-Length: 9223372036854775808"]), 400)  // Int.max + 1
        expectRejected(req("POST", "/", headers: ["Content-Length: 1000000000000000000000"]), 400)
        // Int.max itself is a valid number, just too large a body.
        expectRejected(req("POST", "/", headers: ["Content-Length: 9223372036854775807"]), 413)
        // Leading zeros do not overflow.
        let zeros = String(repeating: "0", count: 40) + "3"
        #expect(expectAccepted(req("POST", "/", headers: ["Content-Length: \(zeros)"], body: "abc")).bodies == ["abc"])
    }

    // MARK: - Transfer-Encoding

    @Test func contentLengthWithTransferEncodingIs400() {
        expectRejected(chunked("0\r\n\r\n", headers: ["Content-Length: 5"]), 400)
        expectRejected(
            req("POST", "/", headers: ["Content-Length: 5", "Transfer-Encoding: chunked"], body: "0\r\n\r\n"), 400)
        expectRejected(
            req("POST", "/", headers: ["Content-Length: 0", "Transfer-Encoding: chunked"], body: "0\r\n\r\n"), 400)
        expectRejected(req("POST", "/", headers: ["Content-Length: 1", "Transfer-Encoding: identity"], body: "x"), 400)
        // An empty Transfer-Encoding still counts as present.
        expectRejected(
            req("POST", "/", headers: ["Content-Length: 10", "Transfer-Encoding:"], body: "2\r\nAA\r\n0"), 400)
    }

    @Test func finalCodingNotChunkedIs400() {
        for te in [
            "gzip", "chunked, gzip", "identity", "chunkedchunked", "chunked;q=1", "\"chunked\"", "", "x-chunked",
        ] {
            expectRejected(
                req("POST", "/", headers: ["Transfer-Encoding: \(te)"], body: "0\r\n\r\n"), 400,
                "TE \(te.debugDescription)")
        }
        expectRejected(
            req("POST", "/", headers: ["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"], body: "0\r\n\r\n"), 400
        )
    }

    @Test func unknownCodingBeforeChunkedIs501() {
        expectRejected(req("POST", "/", headers: ["Transfer-Encoding: gzip, chunked"], body: "0\r\n\r\n"), 501)
        expectRejected(
            req("POST", "/", headers: ["Transfer-Encoding: deflate", "Transfer-Encoding: chunked"], body: "0\r\n\r\n"),
            501)
    }

    @Test func chunkedTwiceIs400() {
        expectRejected(req("POST", "/", headers: ["Transfer-Encoding: chunked, chunked"], body: "0\r\n\r\n"), 400)
        expectRejected(
            req("POST", "/", headers: ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], body: "0\r\n\r\n"),
            400)
    }

    @Test func transferEncodingInHTTP10Is400() {
        expectRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)
    }

    @Test func chunkedSpellingsThatAreValid() throws {
        for te in ["chunked", "Chunked", "CHUNKED", " chunked ", "chunked,", ", chunked"] {
            let h = try #require(
                expectAccepted(req("POST", "/", headers: ["Transfer-Encoding: \(te)"], body: "0\r\n\r\n")).heads.first)
            #expect(h.framing == .chunked)
        }
    }

    // MARK: - Body limit (413)

    @Test func contentLengthOverBodyLimitIs413BeforeTheBodyArrives() {
        // Default 1 MiB.
        expectRejected(req("POST", "/", headers: ["Content-Length: \(1 << 20 + 1)"]), 413)
        #expect(expectAccepted(req("POST", "/", headers: ["Content-Length: 3"], body: "abc")).bodies == ["abc"])
        // Route limit set after the head.
        expectRejected(req("POST", "/", headers: ["Content-Length: 11"]), 413, bodyLimit: 10)
        #expect(
            expectAccepted(req("POST", "/", headers: ["Content-Length: 10"], body: "0123456789"), bodyLimit: 10).bodies
                == ["0123456789"])
    }

    @Test func chunkedOverBodyLimitIs413() {
        expectRejected(chunked("6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n"), 413, bodyLimit: 10)
        expectRejected(chunked("b\r\n"), 413, bodyLimit: 10)
        #expect(
            expectAccepted(chunked("6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n"), bodyLimit: 10).bodies == ["abcdefghij"])
    }

    @Test func bodyLimitAppliesPerRequest() {
        // The second request's limit is set again by the caller after its head.
        let input =
            req("POST", "/", headers: ["Content-Length: 4"], body: "abcd")
            + req("POST", "/", headers: ["Content-Length: 5"], body: "abcde")
        expectRejected(input, 413, messages: 1, bodyLimit: 4)
    }

    @Test func hugeChunkSizeAfterAChunkIs413NotATrap() async {
        // bodyTotal (1) + chunk size (Int.max) once overflowed `bodyTotal += chunkSize` and trapped: a remote
        // crash. Now it is a 413 even with the largest possible limit…
        expectRejected(chunked("1\r\nx\r\n7fffffffffffffff\r\n"), 413, bodyLimit: Int.max)
        // …and a child process proves it does not trap with the default limit either.
        await #expect(processExitsWith: .success) {
            let bytes = Array(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n7fffffffffffffff\r\n".utf8)
            var parser = RequestParser()
            var i = 0
            var events = 0
            bytes.withUnsafeBytes { p in
                while events < 10 {
                    events += 1
                    switch parser.parse(p, &i) {
                    case .needMore, .error: return
                    default: continue
                    }
                }
            }
        }
    }
}
