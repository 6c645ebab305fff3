import Testing

@testable import HTTP

/// DESIGN §2 protocol rules at parser level: request line, header section, Host, keep-alive, Expect,
/// request-target forms and size limits. Every input goes through `parseAllWays` (whole, byte by byte,
/// and split at every position), which also asserts that all feeds agree.
@Suite("RequestParser: request line and header section")
struct ParserTests {
    // MARK: - Valid requests

    @Test func simpleGet() throws {
        let (heads, bodies) = expectAccepted(req("GET", "/v1/trips?limit=10&x=%20", headers: ["Accept: */*"]))
        let h = try #require(heads.first)
        #expect(h.method == .get)
        #expect(h.target == "/v1/trips?limit=10&x=%20")
        #expect(h.path == "/v1/trips")
        #expect(h.query == "limit=10&x=%20")
        #expect(h.minorVersion == 1)
        #expect(h.headers == [["Host", "example.com"], ["Accept", "*/*"]])
        #expect(h.keepAlive)
        #expect(!h.expectContinue)
        #expect(h.framing == .none)
        #expect(bodies == [""])
    }

    @Test func getWithoutQueryHasNilQuery() throws {
        let h = try #require(expectAccepted(req("GET", "/a/b")).heads.first)
        #expect(h.path == "/a/b")
        #expect(h.query == nil)
        let e = try #require(expectAccepted(req("GET", "/a?")).heads.first)
        #expect(e.query == "")
    }

    @Test func postWithContentLength() throws {
        let (heads, bodies) = expectAccepted(
            req("POST", "/v1/trips", headers: ["Content-Length: 13"], body: "{\"name\":\"x\"}\n"))
        #expect(heads.first?.method == .post)
        #expect(heads.first?.framing == .length(13))
        #expect(bodies == ["{\"name\":\"x\"}\n"])
    }

    @Test func allImplementedMethods() {
        for m in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
            let h = expectAccepted(req(m, "/")).heads.first
            #expect(h?.method.description == m)
        }
    }

    @Test func bodyMessageComesWithoutFurtherInputForBodylessRequest() {
        // One call yields .head; the next, with nothing left, must yield .message rather than .needMore.
        let bytes = Array(req().utf8)
        var parser = RequestParser()
        var i = 0
        bytes.withUnsafeBytes { p in
            guard case .head = parser.parse(p, &i) else {
                Issue.record("expected head")
                return
            }
            #expect(i == p.count)
            guard case .message(let body) = parser.parse(p, &i) else {
                Issue.record("expected message")
                return
            }
            #expect(body.isEmpty)
            guard case .needMore = parser.parse(p, &i) else {
                Issue.record("expected needMore")
                return
            }
        }
    }

    @Test func fieldValuesAreTrimmedAndKeepInnerWhitespace() throws {
        let h = try #require(
            expectAccepted(req(headers: ["X-A:   spaced  value \t ", "X-B:\tv", "X-Empty:", "X-Empty2:   "])).heads
                .first)
        #expect(h.headers.dropFirst().map { $0[1] } == ["spaced  value", "v", "", ""])
    }

    @Test func fieldLookupsAreCaseInsensitive() throws {
        let bytes = Array(req(headers: ["content-TYPE: text/plain", "X-Multi: a", "x-multi: b"]).utf8)
        var parser = RequestParser()
        var i = 0
        let head: RequestHead? = bytes.withUnsafeBytes { p in
            if case .head(let h) = parser.parse(p, &i) { return h }
            return nil
        }
        let fields = try #require(head).fields
        #expect(fields[.contentType] == "text/plain")
        #expect(fields["CONTENT-type"] == "text/plain")
        #expect(fields[.host] == "example.com")
        #expect(fields["HOST"] == "example.com")
        #expect(fields.values("X-MULTI") == ["a", "b"])
        #expect(fields.contains("x-multi"))
        #expect(!fields.contains("X-Missing"))
        #expect(fields["X-Missing"] == nil)
        // Names keep their spelling for iteration.
        #expect(fields.map(\.name) == ["Host", "content-TYPE", "X-Multi", "x-multi"])
    }

    @Test func appendedFieldsAreCaseInsensitiveAndSanitised() {
        var f = HTTPFields()
        f.append("X-Token", "a\r\nInjected: 1\0")
        #expect(f["x-token"] == "a  Injected: 1 ")
        f.append(.connection, "keep-alive, Upgrade")
        #expect(f.containsToken("CONNECTION", "upgrade"))
        #expect(!f.containsToken(.connection, "close"))
        f.set("x-TOKEN", "b")
        #expect(f.values(.init("X-Token")) == ["b"])
        f.remove("X-TOKEN")
        #expect(!f.contains("x-token"))
    }

    @Test func phaseTracksWhichDeadlineApplies() {
        // idle (keep-alive timeout) → head (header deadline) → body (body deadline) → idle again.
        var parser = RequestParser()
        #expect(parser.phase == .idle)
        func feed(_ s: String) -> [String] {
            var out: [String] = []
            var i = 0
            Array(s.utf8).withUnsafeBytes { p in
                while true {
                    switch parser.parse(p, &i) {
                    case .needMore: return
                    case .head: out.append("head")
                    case .message: out.append("message")
                    case .error(let e):
                        out.append("error \(e.status.code)")
                        return
                    }
                }
            }
            return out
        }
        #expect(feed("PO").isEmpty)
        #expect(parser.phase == .head)
        #expect(feed("ST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab") == ["head"])
        #expect(parser.phase == .body)
        #expect(feed("cd") == ["message"])
        #expect(parser.phase == .idle)
    }

    // MARK: - Pipelining and leading CRLFs

    @Test func pipelinedRequestsInOneBuffer() {
        let input =
            req("GET", "/one") + req("POST", "/two", headers: ["Content-Length: 5"], body: "hello")
            + chunked("3\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n") + req("DELETE", "/four")
        let (heads, bodies) = expectAccepted(input, count: 4)
        #expect(heads.map(\.target) == ["/one", "/two", "/upload", "/four"])
        #expect(heads.map(\.method) == [.get, .post, .post, .delete])
        #expect(bodies == ["", "hello", "abcde", ""])
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        let (heads, _) = expectAccepted("\r\n\r\n\r\n" + req("GET", "/x"))
        #expect(heads.first?.target == "/x")
        // Between pipelined requests too.
        let two = expectAccepted(req("GET", "/a") + "\r\n\r\n" + req("GET", "/b"), count: 2)
        #expect(two.heads.map(\.target) == ["/a", "/b"])
    }

    @Test func incompleteInputAsksForMore() {
        let run = parseAllWays("GET / HTTP/1.1\r\nHost: a\r\n")
        #expect(run.events.isEmpty)
        let body = parseAllWays(req("POST", "/", headers: ["Content-Length: 10"], body: "abc"))
        #expect(body.heads.count == 1)
        #expect(body.bodies.isEmpty)
        #expect(body.error == nil)
    }

    // MARK: - Line endings

    @Test func bareLFIsRejected() {
        expectRejected("GET / HTTP/1.1\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nHost: a\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\n\n", 400)
        expectRejected("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\nX: 1\nY: 2\r\n\r\n", 400)
        // A bare LF between pipelined requests is not an empty line either.
        expectRejected(req() + "\n" + req(), 400, messages: 1)
    }

    @Test func bareCRIsRejected() {
        expectRejected("GET / HTTP/1.1\rHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\n\rX", 400)
        expectRejected("GET / HTTP/1.1\r\nX: a\rb\r\nHost: a\r\n\r\n", 400)
        expectRejected("\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400)
    }

    // MARK: - Tokens

    @Test func invalidMethodCharactersAreRejected() {
        expectRejected("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected([0x47, 0xC5, 0x54] + Array(" / HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400)
    }

    @Test func invalidFieldNameCharactersAreRejected() {
        for name in ["Fo@", "Fo o", "X(y)", "X\"y", "Ä", "X\u{1}", "X/Y", "X[1]", "X=1", "X{}", "X\\"] {
            expectRejected(req(headers: ["\(name): v"]), 400, "field name \(name.debugDescription)")
        }
        expectRejected(req(headers: [": empty name"]), 400)
        expectRejected(req(headers: ["NoColon"]), 400)
        // Every tchar is fine.
        expectAccepted(req(headers: ["!#$%&'*+-.^_`|~09azAZ: v"]))
    }

    @Test func whitespaceBeforeColonIsRejected() {
        expectRejected(req(headers: ["Content-Length : 0"]), 400)
        expectRejected(req(headers: ["X-A\t: 1"]), 400)
        expectRejected("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400)
    }

    @Test func obsFoldIsRejected() {
        expectRejected(req(headers: ["X-A: one", " two"]), 400)
        expectRejected(req(headers: ["X-A: one", "\ttwo"]), 400)
        // Whitespace before the first field line (RFC 9112 §2.2) too.
        expectRejected("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400)
    }

    // MARK: - Host

    @Test func hostIsRequiredOnHTTP11() {
        expectRejected("GET / HTTP/1.1\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", 400)
        // A later request in the pipeline is checked on its own.
        expectRejected(req() + "GET / HTTP/1.1\r\n\r\n", 400, messages: 1)
    }

    @Test func duplicateHostIsRejected() {
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400)
    }

    @Test func invalidHostIsRejected() {
        for host in ["a b", "a/b", "user@host", "a\"b", "a<b", "exa\u{7F}mple", "a\\b", "a{b}"] {
            expectRejected("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n", 400, "Host \(host.debugDescription)")
        }
        expectRejected([UInt8]("GET / HTTP/1.1\r\nHost: caf".utf8) + [0xC3, 0xA9] + [UInt8]("\r\n\r\n".utf8), 400)
    }

    @Test func validHostsAreAccepted() {
        for host in [
            "example.com", "example.com:8080", "127.0.0.1:80", "[::1]:8080", "xn--bcher-kva.example", "a_b-c~d", "%41",
        ] {
            let h = expectAccepted("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").heads.first
            #expect(h?.headers.first?[1] == host)
        }
        // RFC 9112 §3.2: an empty Host is what a client sends when the target has no authority.
        expectAccepted("GET / HTTP/1.1\r\nHost:\r\n\r\n")
    }

    @Test func http10DoesNotNeedHost() throws {
        let h = try #require(expectAccepted("GET /old HTTP/1.0\r\n\r\n").heads.first)
        #expect(h.minorVersion == 0)
        #expect(h.target == "/old")
    }

    // MARK: - Methods and versions

    @Test func unknownMethodsAre501() {
        for m in ["PROPFIND", "get", "Get", "CONNECT", "TRACE", "PRI", "MKCOL", "M-SEARCH", "X"] {
            expectRejected("\(m) / HTTP/1.1\r\nHost: a\r\n\r\n", 501, "method \(m)")
        }
        // A method too long to be one we implement is 501 before its end arrives.
        expectRejected(String(repeating: "A", count: 33), 501)
        expectRejected(String(repeating: "A", count: 4000) + " / HTTP/1.1\r\n", 501)
    }

    @Test func unsupportedVersionsAre505() {
        expectRejected("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)
        expectRejected("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505)
        expectRejected("GET / HTTP/1.9\r\nHost: a\r\n\r\n", 505)
        expectRejected("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505)
        expectRejected("GET / HTTP/3.0\r\n\r\n", 505)
    }

    @Test func malformedVersionsAre400() {
        // HTTP/0.9 style (no version at all), lowercase, missing or extra digits, other protocols.
        expectRejected("GET /\r\n\r\n", 400)
        expectRejected("GET / \r\n\r\n", 400)
        expectRejected("GET / http/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/11.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / ICE/1.0\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / RTSP/1.0\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", 400)
    }

    // MARK: - Request-target

    @Test func absoluteFormTargetsGiveThePath() throws {
        let h = try #require(
            expectAccepted("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n").heads.first
        )
        #expect(h.target == "http://example.com:8080/a/b?c=d")
        #expect(h.path == "/a/b")
        #expect(h.query == "c=d")
        let s = try #require(
            expectAccepted("GET HTTPS://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n").heads.first)
        #expect(s.path == "/x")
        let bare = try #require(
            expectAccepted("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n").heads.first)
        #expect(bare.path == "/")
        #expect(bare.query == nil)
        let q = try #require(
            expectAccepted("GET http://example.com?hail=all HTTP/1.1\r\nHost: example.com\r\n\r\n").heads.first)
        #expect(q.path == "/")
        #expect(q.query == "hail=all")
    }

    @Test func asteriskFormOnlyForOptions() throws {
        let h = try #require(expectAccepted(req("OPTIONS", "*")).heads.first)
        #expect(h.method == .options)
        #expect(h.target == "*")
        expectRejected(req("GET", "*"), 400)
        expectRejected(req("OPTIONS", "*x"), 400)
    }

    @Test func otherTargetFormsAreRejected() {
        expectRejected(req("GET", "example.com:443"), 400)  // authority-form without CONNECT
        expectRejected(req("GET", "foo"), 400)
        expectRejected(req("GET", "ftp://example.com/"), 400)
        expectRejected(req("GET", "http://"), 400)
    }

    @Test func nonASCIIAndControlsInTargetAreRejected() {
        expectRejected([UInt8]("GET /caf".utf8) + [0xC3, 0xA9] + [UInt8](" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400)
        expectRejected([UInt8]("GET /".utf8) + [0xFF] + [UInt8](" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400)
        expectRejected([UInt8]("GET /a".utf8) + [0x00] + [UInt8](" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400)
        expectRejected("GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", 400)
        expectRejected("GET /foo bar/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)
    }

    @Test func targetLimitIs8KiB() {
        let limit = ParserLimits().maxTargetBytes
        #expect(limit == 8 * 1024)
        let ok = "/" + String(repeating: "a", count: limit - 1)
        let h = expectAccepted(req("GET", ok)).heads.first
        #expect(h?.target.utf8.count == limit)
        expectRejected(req("GET", ok + "a"), 414)
        // Detected before the target ends.
        expectRejected("GET /" + String(repeating: "a", count: limit + 10), 414)
    }

    // MARK: - Field values

    @Test func controlCharactersInValuesAreRejected() {
        for c: UInt8 in [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F] {
            expectRejected(
                [UInt8]("GET / HTTP/1.1\r\nHost: a\r\nX: a".utf8) + [c] + [UInt8]("b\r\n\r\n".utf8), 400, "CTL \(c)")
        }
        // NUL as the first octet of a value, and a lone CR inside a value.
        expectRejected([UInt8]("GET / HTTP/1.1\r\nHost: a\r\nX: ".utf8) + [0] + [UInt8]("\r\n\r\n".utf8), 400)
    }

    @Test func obsTextInValuesIsAccepted() throws {
        let bytes =
            [UInt8]("GET / HTTP/1.1\r\nHost: a\r\nX-City: D".utf8) + [0xC3, 0xBC] + [UInt8]("sseldorf\r\nX-Raw: ".utf8)
            + [0x80, 0xFF] + [UInt8]("v\r\n\r\n".utf8)
        let run = parseAllWays(bytes)
        #expect(run.error == nil)
        #expect(run.bodies.count == 1)
        #expect(run.heads.first?.headers[1] == ["X-City", "Düsseldorf"])
        #expect(run.heads.first?.headers[2][0] == "X-Raw")
    }

    @Test func tabAndVisibleCharactersInValuesAreAccepted() throws {
        let v = "a\tb !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
        let h = try #require(expectAccepted(req(headers: ["X: \(v)"])).heads.first)
        #expect(h.headers[1][1] == v)
    }

    // MARK: - Header section limits

    @Test func headerSectionOver16KiBIs431() {
        let limit = ParserLimits().maxHeaderBytes
        #expect(limit == 16 * 1024)
        // Counted from the first field line: "Host: example.com\r\n" is 19 bytes, then "X: " + value.
        let fits = limit - 19 - 3
        expectAccepted(req(headers: ["X: " + String(repeating: "v", count: fits)]))
        expectRejected(req(headers: ["X: " + String(repeating: "v", count: fits + 1)]), 431)
        // Many moderate fields add up.
        let many = (0..<40).map { "X-\($0): " + String(repeating: "v", count: 500) }
        expectRejected(req(headers: many), 431)
        // A never-ending field name or value is cut off at the limit.
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: limit + 10), 431)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "n", count: limit + 10), 431)
    }

    @Test func moreThan100FieldsIs431() {
        let hundred = (1..<100).map { "X-\($0): 1" }  // plus Host
        expectAccepted(req(headers: hundred))
        expectRejected(req(headers: hundred + ["X-101: 1"]), 431)
    }

    @Test func limitsApplyPerRequest() {
        // Two pipelined requests that are each within the limits are fine together.
        let big = (1..<100).map { "X-\($0): " + String(repeating: "v", count: 100) }
        expectAccepted(req(headers: big) + req(headers: big), count: 2)
    }

    // MARK: - Keep-alive

    @Test func keepAliveRules() {
        func keepAlive(_ version: String, _ headers: [String]) -> Bool? {
            expectAccepted("GET / HTTP/\(version)\r\nHost: a\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n").heads
                .first?.keepAlive
        }
        #expect(keepAlive("1.1", []) == true)
        #expect(keepAlive("1.1", ["Connection: close"]) == false)
        #expect(keepAlive("1.1", ["Connection: CLOSE"]) == false)
        #expect(keepAlive("1.1", ["Connection: keep-alive, close"]) == false)
        #expect(keepAlive("1.1", ["Connection: Upgrade", "Connection: close"]) == false)
        #expect(keepAlive("1.1", ["Connection: keep-alive"]) == true)
        #expect(keepAlive("1.1", ["Connection: closed"]) == true)
        #expect(keepAlive("1.0", []) == false)
        #expect(keepAlive("1.0", ["Connection: keep-alive"]) == true)
        #expect(keepAlive("1.0", ["Connection: Keep-Alive"]) == true)
        #expect(keepAlive("1.0", ["Connection: keep-alive, close"]) == false)
        #expect(keepAlive("1.0", ["Connection: close"]) == false)
    }

    // MARK: - Expect

    @Test func expect100ContinueIsFlagged() {
        let h = expectAccepted(req("POST", "/", headers: ["Expect: 100-continue", "Content-Length: 2"], body: "ok"))
            .heads.first
        #expect(h?.expectContinue == true)
        let c = expectAccepted(chunked("0\r\n\r\n", headers: ["Expect: 100-Continue"])).heads.first
        #expect(c?.expectContinue == true)
        // No body, nothing to wait for.
        let g = expectAccepted(req("GET", "/", headers: ["Expect: 100-continue"])).heads.first
        #expect(g?.expectContinue == false)
    }

    @Test func otherExpectationsAre417() {
        expectRejected(req("POST", "/", headers: ["Expect: 200-ok", "Content-Length: 0"]), 417)
        expectRejected(req("POST", "/", headers: ["Expect: 100-continue-x", "Content-Length: 0"]), 417)
        expectRejected(req("GET", "/", headers: ["Expect:"]), 417)
    }

    @Test func expectContinueIsIgnoredOnHTTP10() {
        // RFC 9110 §10.1.1: "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST
        // ignore that expectation."
        let h = expectAccepted("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").heads.first
        #expect(h?.expectContinue == false)
    }
}
