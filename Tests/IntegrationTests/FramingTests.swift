import HTTP
import Testing

/// Request bodies by Content-Length and chunked, pipelining, split reads (DESIGN §2).
@Suite("Framing and pipelining")
struct FramingTests {
    /// One write holding five requests of every framing: plain GET, Content-Length body, chunked body
    /// with extensions and trailers, HEAD, and a final GET.
    static let mixedPipeline: String =
        request("GET", "/items/1")
        + post("/echo", "hello")
        + request(
            "POST", "/echo", headers: ["Transfer-Encoding: chunked"],
            body:
                "5;name=value;quoted=\"a;b\"\r\nchunk\r\nB\r\n-0123456789\r\n0;last\r\nX-Trailer: t1\r\nX-Other: t2\r\n\r\n"
        )
        + request("HEAD", "/head-check")
        + request("GET", "/items/2")

    static func checkMixedPipeline(_ c: RawClient, _ server: TestServer) throws {
        let first = try c.readResponses(3)
        #expect(first.map(\.status) == [200, 200, 200])
        #expect(first[0].bodyString == "item 1")
        #expect(first[1].bodyString == "hello")
        #expect(first[2].bodyString == "chunk-0123456789")
        let head = try c.readFinalResponse(head: true).final
        #expect(head.status == 200)
        #expect(head.header("content-length") == "10")
        let last = try c.readFinalResponse().final
        #expect(last.bodyString == "item 2")
        for r in first + [head, last] {
            expectCommonHeaders(r)
            #expect(!r.saysClose)
        }
        #expect(c.unreadBytes.isEmpty)
        expectAlive(c)
        // Handlers run concurrently on the pool; only the responses are ordered.
        #expect(server.log.paths.sorted() == ["/echo", "/echo", "/head-check", "/items/1", "/items/2", "/items/alive"])
    }

    @Test func contentLengthBodyThenFollowUp() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(post("/echo", "0123456789"))
        let r = try c.readFinalResponse().final
        #expect(r.status == 200)
        #expect(r.bodyString == "0123456789")
        #expect(r.header("x-body-length") == "10")
        expectAlive(c)
    }

    @Test func emptyBodies() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(
            post("/echo", "") + request("POST", "/echo", headers: ["Transfer-Encoding: chunked"], body: "0\r\n\r\n"))
        let rs = try c.readResponses(2)
        #expect(rs.map(\.status) == [200, 200])
        #expect(rs.map(\.body) == [[], []])
        expectAlive(c)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        let body =
            "3;a=b\r\nabc\r\n1A\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n00000;x\r\nTrailer-One: 1\r\nTrailer-Two: 2\r\n\r\n"
        try c.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked"], body: body))
        let r = try c.readFinalResponse().final
        #expect(r.status == 200)
        #expect(r.bodyString == "abcABCDEFGHIJKLMNOPQRSTUVWXYZ")
        expectAlive(c)
    }

    @Test func mixedPipelineInOneWrite() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(Self.mixedPipeline)
        try Self.checkMixedPipeline(c, s)
    }

    @Test func mixedPipelineByteByByte() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.sendSlowly(Self.mixedPipeline, pieceSize: 1, pause: .microseconds(100))
        try Self.checkMixedPipeline(c, s)
    }

    @Test(arguments: [2, 3, 7, 13, 64])
    func mixedPipelineInPieces(pieceSize: Int) throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.sendSlowly(Self.mixedPipeline, pieceSize: pieceSize, pause: .microseconds(300))
        try Self.checkMixedPipeline(c, s)
    }

    /// A head split exactly at CR|LF boundaries, and a body split from its head.
    @Test func splitsAtLineBoundaries() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        let pieces = ["POST /echo HTTP/1.1\r", "\nHost: t\r\nContent-Length: 4\r\n\r", "\n", "ab", "cd"]
        try c.send(pieces: pieces.map { Array($0.utf8) })
        let r = try c.readFinalResponse().final
        #expect(r.bodyString == "abcd")
        let chunked = [
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n", "2", "\r", "\nx",
            "y\r", "\n0\r\n", "\r", "\n",
        ]
        try c.send(pieces: chunked.map { Array($0.utf8) })
        #expect(try c.readFinalResponse().final.bodyString == "xy")
        expectAlive(c)
    }

    /// A request that looks like a request but sits inside a correctly framed body stays body.
    @Test func requestInsideBodyIsData() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        let inner = smuggledRequest
        let chunked = String(inner.utf8.count, radix: 16) + "\r\n" + inner + "\r\n0\r\n\r\n"
        try c.send(
            post("/echo", inner) + request("POST", "/echo", headers: ["Transfer-Encoding: chunked"], body: chunked))
        let rs = try c.readResponses(2)
        #expect(rs.map(\.bodyString) == [inner, inner])
        expectAlive(c)
        #expect(s.log.smuggled == 0)
    }

    @Test func leadingEmptyLinesAndAbsoluteForm() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send("\r\n\r\n" + request("GET", "/items/a") + request("GET", "http://t/items/b?q=1"))
        #expect(try c.readResponses(2).map(\.bodyString) == ["item a", "item b"])
        expectAlive(c)
    }

    /// 100 requests in one write with at most 4 queued: the server stops reading when full and resumes,
    /// and every request is answered, in order.
    @Test func pipeliningCap() throws {
        let s = try TestServer { $0.maxPipelined = 4 }
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(10))
        try c.send((0..<100).map { request("GET", "/items/\($0)") }.joined())
        let rs = try c.readResponses(100)
        #expect(rs.map(\.bodyString) == (0..<100).map { "item \($0)" })
        #expect(rs.allSatisfy { $0.status == 200 && !$0.saysClose })
        expectAlive(c)
    }

    /// The cap also holds while handlers are slow: responses still leave in request order.
    @Test func pipelinedSlowAndFastStayInOrder() throws {
        let s = try TestServer { $0.maxPipelined = 2 }
        defer { s.stop() }
        let c = try s.connect()
        let targets = ["/slow?ms=150", "/items/a", "/slow?ms=50", "/items/b", "/slow?ms=1", "/items/c"]
        try c.send(targets.map { request("GET", $0) }.joined())
        let rs = try c.readResponses(targets.count)
        #expect(rs.map(\.bodyString) == ["slept 150", "item a", "slept 50", "item b", "slept 1", "item c"])
        expectAlive(c)
    }

    @Test func streamedResponseIsChunked() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/stream?chunks=50") + request("GET", "/stream-length"))
        let streamed = try c.readFinalResponse().final
        #expect(streamed.status == 200)
        #expect(streamed.header("transfer-encoding") == "chunked")
        #expect(streamed.header("content-length") == nil)
        #expect(streamed.bodyString == (0..<50).map { "part-\($0);" }.joined())
        #expect((streamed.chunkSizes ?? []).allSatisfy { $0 > 0 })
        expectCommonHeaders(streamed)
        let sized = try c.readFinalResponse().final
        #expect(sized.header("content-length") == "10")
        #expect(sized.bodyString == "0123456789")
        expectAlive(c)
    }

    @Test func headOfStreamHasNoBody() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("HEAD", "/stream?chunks=3"))
        let r = try c.readFinalResponse(head: true).final
        #expect(r.status == 200)
        expectAlive(c)
    }

    /// HTTP/1.0 has no chunked coding: a stream of unknown length is delimited by the close.
    @Test func streamToHTTP10EndsWithClose() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/stream?chunks=4", version: "HTTP/1.0", headers: ["Connection: keep-alive"]))
        let (rs, closed, _) = c.readAllUntilClose()
        #expect(closed)
        #expect(rs.count == 1)
        #expect(rs.first?.header("transfer-encoding") == nil)
        #expect(rs.first?.delimitedByClose == true)
        #expect(rs.first?.bodyString == "part-0;part-1;part-2;part-3;")
    }
}
