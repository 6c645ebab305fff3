import Testing

/// Size limits and version/method/expectation verdicts (DESIGN §2): 413, 414, 417, 431, 501, 505, and
/// the `Expect: 100-continue` flow.
@Suite("Limits and verdicts")
struct LimitsTests {
    static func verdict(_ bytes: String, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try? c.send(bytes + smuggledRequest)
        expectVerdict(c, status, sourceLocation: sourceLocation)
        #expect(s.log.paths.isEmpty, sourceLocation: sourceLocation)
        #expect(s.log.protocolErrors == [status], sourceLocation: sourceLocation)
    }

    /// The target limit is 8 KiB: exactly 8192 bytes is routed (404 here), one more is 414.
    @Test func targetLength() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        let atLimit = "/" + String(repeating: "a", count: 8191)
        try c.send(request("GET", atLimit))
        let r = try c.readFinalResponse().final
        expectProblem(r, 404)
        expectAlive(c)
        try Self.verdict(request("GET", atLimit + "a"), 414)
    }

    /// The header section limit is 16 KiB (field lines, not counting the request line).
    @Test func headerSectionSize() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        // "Host: t\r\n" is 9 bytes; 2 fields of 8000 + the rest stay well under 16 KiB.
        let fine = request(
            "GET", "/items/1", headers: (0..<2).map { "X-Big-\($0): " + String(repeating: "v", count: 8000) })
        try c.send(fine)
        #expect(try c.readFinalResponse().final.status == 200)
        expectAlive(c)
        try Self.verdict(
            request("GET", "/items/1", headers: (0..<3).map { "X-Big-\($0): " + String(repeating: "v", count: 8000) }),
            431)
        try Self.verdict(
            request("GET", "/items/1", headers: ["X-One: " + String(repeating: "v", count: 17 * 1024)]), 431)
    }

    /// At most 100 fields: 100 (Host included) are fine, 101 are 431.
    @Test func headerFieldCount() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/items/1", headers: (0..<99).map { "X-F\($0): 1" }))
        #expect(try c.readFinalResponse().final.status == 200)
        expectAlive(c)
        try Self.verdict(request("GET", "/items/1", headers: (0..<100).map { "X-F\($0): 1" }), 431)
    }

    @Test(arguments: ["BREW", "get", "PROPFIND", "CONNECT", "M" + String(repeating: "X", count: 40)])
    func unknownMethodIs501(_ method: String) throws {
        try Self.verdict(request(method, "/items/1"), 501)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.1"])
    func unsupportedVersionIs505(_ version: String) throws {
        try Self.verdict(request("GET", "/items/1", version: version), 505)
    }

    /// 413 comes from Content-Length alone: the client sends only the head and is answered at once.
    @Test func contentLengthOverRouteLimitBeforeBody() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(3))
        try c.send(request("POST", "/echo", headers: ["Content-Length: 1025"]))
        expectVerdict(c, 413)
        #expect(s.log.paths.isEmpty)
    }

    @Test func contentLengthOverDefaultLimitBeforeBody() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(3))
        try c.send(request("POST", "/upload", headers: ["Content-Length: \((1 << 20) + 1)"]))
        expectVerdict(c, 413)
    }

    @Test func bodyAtLimitsIsAccepted() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(post("/echo", String(repeating: "e", count: 1024)))
        #expect(try c.readFinalResponse().final.body.count == 1024)
        let big = [UInt8](repeating: 0x61, count: 1 << 20)
        try c.send(Array(request("POST", "/upload", headers: ["Content-Length: \(big.count)"]).utf8) + big)
        #expect(try c.readFinalResponse().final.bodyString == "1048576")
        expectAlive(c)
    }

    /// A chunked body is counted as it arrives: 413 once the chunks pass the limit, without waiting
    /// for the rest of the body.
    @Test func chunkedOverLimit() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(3))
        let chunk = "200\r\n" + String(repeating: "c", count: 512) + "\r\n"
        try c.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked"], body: chunk + chunk) + "201\r\n")
        expectVerdict(c, 413)
        #expect(s.log.paths.isEmpty)
    }

    @Test func chunkedAtLimitIsAccepted() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        let chunk = "200\r\n" + String(repeating: "c", count: 512) + "\r\n"
        try c.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked"], body: chunk + chunk + "0\r\n\r\n"))
        #expect(try c.readFinalResponse().final.body.count == 1024)
        expectAlive(c)
    }

    @Test(arguments: ["something-else", "100-continue, foo", "200-ok"])
    func otherExpectationIs417(_ value: String) throws {
        try Self.verdict(post("/echo", "hello", headers: ["Expect: \(value)"]), 417)
    }

    /// `100 Continue` arrives before the body is sent; then the final response; the connection lives on.
    @Test func expectContinueFlow() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(3))
        try c.send(request("POST", "/echo", headers: ["Content-Length: 5", "Expect: 100-continue"]))
        let interim = try c.readResponse()
        #expect(interim.status == 100)
        #expect(interim.reason == "Continue")
        #expect(interim.headers.isEmpty)
        #expect(s.log.paths.isEmpty)
        try c.send("hello")
        let r = try c.readFinalResponse().final
        #expect(r.status == 200)
        #expect(r.bodyString == "hello")
        expectAlive(c)
    }

    @Test func expectContinueIsCaseInsensitiveAndWorksChunked() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(3))
        try c.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked", "Expect: 100-Continue"]))
        #expect(try c.readResponse().status == 100)
        try c.send("3\r\nabc\r\n0\r\n\r\n")
        #expect(try c.readFinalResponse().final.bodyString == "abc")
        expectAlive(c)
    }

    /// Over the limit, the final 413 comes instead of `100 Continue`.
    @Test func expectContinueOverLimitGets413Only() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(3))
        try c.send(request("POST", "/echo", headers: ["Content-Length: 2000", "Expect: 100-continue"]))
        expectVerdict(c, 413)
    }

    /// A request without a body gets no `100 Continue`, just its answer.
    @Test func expectContinueWithoutBody() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/items/x", headers: ["Expect: 100-continue"]))
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.bodyString == "item x")
        expectAlive(c)
    }

    /// Pipelined behind an Expect request, the next request waits its turn; interim and final
    /// responses stay in order.
    @Test func expectContinuePipelined() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(post("/echo", "abc", headers: ["Expect: 100-continue"]) + request("GET", "/items/2"))
        let (interim, first) = try c.readFinalResponse()
        #expect(interim.map(\.status) == [100])
        #expect(first.bodyString == "abc")
        #expect(try c.readFinalResponse().final.bodyString == "item 2")
        expectAlive(c)
    }
}
