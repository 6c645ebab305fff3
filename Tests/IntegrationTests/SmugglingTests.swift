import Testing

/// One attack: bytes that must be rejected with `status`, after which the server closes without
/// interpreting anything that follows.
struct Attack: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: String
    let status: Int
    var testDescription: String { "\(name) → \(status)" }

    init(_ name: String, _ status: Int, _ bytes: String) {
        self.name = name
        self.status = status
        self.bytes = bytes
    }

    /// A POST to /echo with the given header lines and raw body bytes.
    static func post(_ name: String, _ status: Int, _ headers: [String], body: String = "") -> Attack {
        Attack(name, status, request("POST", "/echo", headers: headers, body: body))
    }
}

/// The request-smuggling set (DESIGN §2): every ambiguous framing is a 400 (or 501) that closes the
/// connection, and the `GET /items/smuggled` sent right behind it in the same write never runs.
@Suite("Smuggling")
struct SmugglingTests {
    static let framing: [Attack] = [
        .post("CL then TE", 400, ["Content-Length: 5", "Transfer-Encoding: chunked"], body: "0\r\n\r\n"),
        .post("TE then CL", 400, ["Transfer-Encoding: chunked", "Content-Length: 5"], body: "0\r\n\r\n"),
        .post("CL + TE identity", 400, ["Content-Length: 5", "Transfer-Encoding: identity"], body: "hello"),
        .post("duplicate differing CL", 400, ["Content-Length: 5", "Content-Length: 6"], body: "hello!"),
        .post("CL list differing", 400, ["Content-Length: 5, 6"], body: "hello!"),
        .post("CL +5", 400, ["Content-Length: +5"], body: "hello"),
        .post("CL -5", 400, ["Content-Length: -5"], body: "hello"),
        .post("CL 0x5", 400, ["Content-Length: 0x5"], body: "hello"),
        .post("CL 5.0", 400, ["Content-Length: 5.0"], body: "hello"),
        .post("CL with inner space", 400, ["Content-Length: 5 5"], body: "hello"),
        .post("CL empty", 400, ["Content-Length:"], body: "hello"),
        .post("CL overflowing Int64", 400, ["Content-Length: 18446744073709551621"], body: "hello"),
        .post("CL 20 digits", 400, ["Content-Length: 99999999999999999999"], body: "hello"),
        .post("TE chunked, identity", 400, ["Transfer-Encoding: chunked, identity"], body: "0\r\n\r\n"),
        .post("TE identity", 400, ["Transfer-Encoding: identity"], body: "0\r\n\r\n"),
        .post("TE chunked twice", 400, ["Transfer-Encoding: chunked, chunked"], body: "0\r\n\r\n"),
        .post(
            "TE chunked then gzip field", 400, ["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"],
            body: "0\r\n\r\n"),
        .post("TE xchunked", 400, ["Transfer-Encoding: xchunked"], body: "0\r\n\r\n"),
        .post("TE gzip, chunked", 501, ["Transfer-Encoding: gzip, chunked"], body: "0\r\n\r\n"),
        Attack(
            "TE chunked in HTTP/1.0", 400,
            request("POST", "/echo", version: "HTTP/1.0", headers: ["Transfer-Encoding: chunked"], body: "0\r\n\r\n")),
        .post("TE obs-folded", 400, ["Transfer-Encoding: gzip,", " chunked"], body: "0\r\n\r\n"),
        .post("CL obs-folded", 400, ["Content-Length: 1", " 0"], body: "0123456789"),
        .post("space before colon (CL)", 400, ["Content-Length : 5"], body: "hello"),
        .post("tab before colon (TE)", 400, ["Transfer-Encoding\t: chunked"], body: "0\r\n\r\n"),
    ]

    static let chunks: [Attack] = [
        .post("chunk size not hex", 400, ["Transfer-Encoding: chunked"], body: "zz\r\nhello\r\n0\r\n\r\n"),
        .post("chunk size -1", 400, ["Transfer-Encoding: chunked"], body: "-1\r\nh\r\n0\r\n\r\n"),
        .post("chunk size +5", 400, ["Transfer-Encoding: chunked"], body: "+5\r\nhello\r\n0\r\n\r\n"),
        .post("chunk size 0x5", 400, ["Transfer-Encoding: chunked"], body: "0x5\r\nhello\r\n0\r\n\r\n"),
        .post("chunk size empty", 400, ["Transfer-Encoding: chunked"], body: "\r\nhello\r\n0\r\n\r\n"),
        .post(
            "chunk size overflowing", 400, ["Transfer-Encoding: chunked"],
            body: "10000000000000005\r\nhello\r\n0\r\n\r\n"),
        .post("chunk size 17 f", 400, ["Transfer-Encoding: chunked"], body: "fffffffffffffffff\r\nh\r\n0\r\n\r\n"),
        .post("chunk data without CRLF", 400, ["Transfer-Encoding: chunked"], body: "5\r\nhelloXX0\r\n\r\n"),
        .post("chunk data with bare LF", 400, ["Transfer-Encoding: chunked"], body: "5\r\nhello\n0\r\n\r\n"),
        .post("chunk data followed by X LF", 400, ["Transfer-Encoding: chunked"], body: "5\r\nhelloX\n0\r\n\r\n"),
        .post("chunk data followed by CR X", 400, ["Transfer-Encoding: chunked"], body: "5\r\nhello\rX0\r\n\r\n"),
        .post("chunk data longer than size", 400, ["Transfer-Encoding: chunked"], body: "3\r\nhello\r\n0\r\n\r\n"),
        .post("chunk size line bare LF", 400, ["Transfer-Encoding: chunked"], body: "5\nhello\r\n0\r\n\r\n"),
        .post("chunk size line bare CR", 400, ["Transfer-Encoding: chunked"], body: "5\rhello\r\n0\r\n\r\n"),
        .post("last chunk bare LF", 400, ["Transfer-Encoding: chunked"], body: "0\n\r\n"),
        .post("trailer bare LF", 400, ["Transfer-Encoding: chunked"], body: "0\r\nX-T: 1\n\r\n"),
        .post("trailer obs-fold", 400, ["Transfer-Encoding: chunked"], body: "0\r\nX-T: 1\r\n 2\r\n\r\n"),
    ]

    static let syntax: [Attack] = [
        Attack("bare LF line ends", 400, "GET /items/1 HTTP/1.1\nHost: t\n\n"),
        Attack("bare LF after a field", 400, "GET /items/1 HTTP/1.1\r\nHost: t\nX-A: 1\r\n\r\n"),
        Attack("bare LF ending the head", 400, "GET /items/1 HTTP/1.1\r\nHost: t\r\n\n"),
        Attack("bare CR in request line", 400, "GET /items/1 HTTP/1.1\rHost: t\r\n\r\n"),
        Attack("bare CR in field value", 400, "GET /items/1 HTTP/1.1\r\nHost: t\r\nX-A: a\rb\r\n\r\n"),
        Attack("obs-fold", 400, "GET /items/1 HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n"),
        Attack("whitespace before first field", 400, "GET /items/1 HTTP/1.1\r\n Host: t\r\n\r\n"),
        Attack("space before colon", 400, "GET /items/1 HTTP/1.1\r\nHost : t\r\n\r\n"),
        Attack("invalid token in field name", 400, "GET /items/1 HTTP/1.1\r\nHost: t\r\nX(A): 1\r\n\r\n"),
        Attack("empty field name", 400, "GET /items/1 HTTP/1.1\r\nHost: t\r\n: 1\r\n\r\n"),
        Attack("NUL in field value", 400, "GET /items/1 HTTP/1.1\r\nHost: t\r\nX-A: a\u{0}b\r\n\r\n"),
        Attack("invalid token in method", 400, "GE(T /items/1 HTTP/1.1\r\nHost: t\r\n\r\n"),
        Attack("two spaces after method", 400, "GET  /items/1 HTTP/1.1\r\nHost: t\r\n\r\n"),
        Attack("lowercase version", 400, "GET /items/1 http/1.1\r\nHost: t\r\n\r\n"),
        Attack("relative target", 400, "GET items/1 HTTP/1.1\r\nHost: t\r\n\r\n"),
        Attack("missing Host", 400, "GET /items/1 HTTP/1.1\r\nX-A: 1\r\n\r\n"),
        Attack("duplicate Host", 400, "GET /items/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Attack("duplicate identical Host", 400, "GET /items/1 HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
        Attack("invalid Host", 400, "GET /items/1 HTTP/1.1\r\nHost: a b\r\n\r\n"),
        Attack("Host with path", 400, "GET /items/1 HTTP/1.1\r\nHost: a/b\r\n\r\n"),
    ]

    static func run(_ attack: Attack) throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(attack.bytes + smuggledRequest)
        expectVerdict(c, attack.status)
        #expect(s.log.paths.isEmpty, "a handler ran: \(s.log.paths)")
        #expect(s.log.smuggled == 0)
        #expect(s.log.protocolErrors == [attack.status])
        c.close()
        #expect(s.waitForOpenConnections(0), "the server must not keep the connection")
    }

    @Test(arguments: framing) func ambiguousFraming(_ attack: Attack) throws { try Self.run(attack) }
    @Test(arguments: chunks) func badChunks(_ attack: Attack) throws { try Self.run(attack) }
    @Test(arguments: syntax) func badSyntax(_ attack: Attack) throws { try Self.run(attack) }

    /// The same attacks after a good request on the same connection: the good one is answered, the
    /// attack gets its verdict, the smuggled one never runs.
    @Test(arguments: [framing[0], framing[5], chunks[7], syntax[5]])
    func attackAfterGoodRequest(_ attack: Attack) throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/items/first") + attack.bytes + smuggledRequest)
        let first = try c.readFinalResponse().final
        #expect(first.bodyString == "item first")
        expectVerdict(c, attack.status)
        #expect(s.log.paths == ["/items/first"])
    }

    /// Attacks sent byte by byte reach the same verdict (split reads change nothing).
    @Test(arguments: [framing[0], framing[3], framing[5], chunks[7], syntax[0], syntax[3]])
    func attackByteByByte(_ attack: Attack) throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try? c.sendSlowly(attack.bytes + smuggledRequest, pause: .microseconds(100))
        expectVerdict(c, attack.status)
        #expect(s.log.smuggled == 0)
    }
}
