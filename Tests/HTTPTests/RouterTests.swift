import Testing

@testable import HTTP

@Suite("Router matching")
struct RouterTests {
    static func ok(_ name: String) -> Handler {
        { _ in Response(status: .ok, contentType: "text/plain", body: Array(name.utf8)) }
    }

    static let router: CompiledRouter = {
        var r = Router()
        r.get("/", ok("root"))
        r.get("/v1/trips", ok("list"))
        r.post("/v1/trips", bodyLimit: 4096, ok("create"))
        r.get("/v1/trips/latest", ok("latest"))
        r.get("/v1/trips/{id}", ok("show"))
        r.delete("/v1/trips/{id}", ok("delete"))
        r.get("/v1/trips/{id}/stops/{stop}", ok("stop"))
        r.get("/cal/{token}.ics", ok("ics"))
        r.get("/cal/{token}", ok("cal"))
        r.get("/reports/export.{format}", ok("export"))
        // Backtracking: /a/b/c is literal, /a/{x}/d must still match /a/b/d.
        r.get("/a/b/c", ok("abc"))
        r.get("/a/{x}/d", ok("axd"))
        return r.compile()
    }()

    func match(_ method: HTTPMethod, _ path: String) -> RouteMatch {
        Array(path.utf8).withUnsafeBytes { Self.router.match(method, path: $0) }
    }

    func call(_ m: RouteMatch, _ method: HTTPMethod = .get, _ path: String = "/") throws -> String {
        let response = try m.handler(Request(method: method, target: path))
        guard case .bytes(let b) = response.body else { return "" }
        return String(decoding: b, as: UTF8.self)
    }

    @Test func literalsAndParameters() throws {
        #expect(try call(match(.get, "/")) == "root")
        #expect(try call(match(.get, "/v1/trips")) == "list")
        #expect(try call(match(.post, "/v1/trips")) == "create")
        #expect(match(.post, "/v1/trips").bodyLimit == 4096)
        #expect(match(.get, "/v1/trips").bodyLimit == Router.defaultBodyLimit)
        let show = match(.get, "/v1/trips/42")
        #expect(show.template == "/v1/trips/{id}")
        #expect(show.parameters["id"] == "42")
        #expect(try call(show) == "show")
        let stop = match(.get, "/v1/trips/7/stops/9")
        #expect(stop.parameters["id"] == "7")
        #expect(stop.parameters["stop"] == "9")
        #expect(stop.parameters.count == 2)
    }

    @Test func literalsWinOverParameters() throws {
        let m = match(.get, "/v1/trips/latest")
        #expect(m.template == "/v1/trips/latest")
        #expect(m.parameters.count == 0)
        #expect(try call(m) == "latest")
    }

    @Test func suffixAndPrefixParameters() throws {
        let ics = match(.get, "/cal/abc123.ics")
        #expect(ics.template == "/cal/{token}.ics")
        #expect(ics.parameters["token"] == "abc123")
        let plain = match(.get, "/cal/abc123")
        #expect(plain.template == "/cal/{token}")
        #expect(plain.parameters["token"] == "abc123")
        // ".ics" alone leaves an empty token, so only the plain parameter matches.
        #expect(match(.get, "/cal/.ics").template == "/cal/{token}")
        let export = match(.get, "/reports/export.csv")
        #expect(export.parameters["format"] == "csv")
        #expect(match(.get, "/reports/export.").template == "")
    }

    @Test func backtracksFromLiteralDeadEnds() throws {
        #expect(try call(match(.get, "/a/b/c")) == "abc")
        let m = match(.get, "/a/b/d")
        #expect(m.template == "/a/{x}/d")
        #expect(m.parameters["x"] == "b")
        #expect(m.parameters.count == 1)  // no stale parameter from a failed branch
        #expect(try call(m) == "axd")
    }

    @Test func notFound() {
        for path in ["/nope", "/v1/trips/1/2", "/v1", "/a/b", "v1/trips", "/v1/trips/", "/V1/trips"] {
            let m = match(.get, path)
            #expect(m.template == "", "\(path)")
            #expect(throws: HTTPError.self) { try call(m, .get, path) }
            do {
                _ = try call(m, .get, path)
            } catch let e as HTTPError {
                #expect(e.status.code == 404)
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func methodNotAllowedCarriesAllow() throws {
        let m = match(.put, "/v1/trips/42")
        #expect(m.template == "/v1/trips/{id}")
        do {
            _ = try call(m, .put, "/v1/trips/42")
            Issue.record("expected 405")
        } catch let e as HTTPError {
            #expect(e.status.code == 405)
            #expect(e.headers[.allow] == "GET, DELETE, HEAD, OPTIONS")
            #expect(e.response().headers["allow"] == "GET, DELETE, HEAD, OPTIONS")
        }
        do {
            _ = try call(match(.delete, "/v1/trips"), .delete, "/v1/trips")
            Issue.record("expected 405")
        } catch let e as HTTPError {
            #expect(e.status.code == 405)
            #expect(e.headers[.allow] == "GET, POST, HEAD, OPTIONS")
        }
    }

    @Test func optionsAnswers204WithAllow() throws {
        let response = try match(.options, "/v1/trips").handler(Request(method: .options, target: "/v1/trips"))
        #expect(response.status.code == 204)
        #expect(response.headers[.allow] == "GET, POST, HEAD, OPTIONS")
    }

    @Test func headFallsBackToGet() throws {
        let m = match(.head, "/v1/trips/5")
        #expect(m.template == "/v1/trips/{id}")
        #expect(m.parameters["id"] == "5")
        #expect(try call(m, .head, "/v1/trips/5") == "show")
    }

    @Test func parametersArePercentDecoded() {
        #expect(match(.get, "/v1/trips/a%20b").parameters["id"] == "a b")
        #expect(match(.get, "/v1/trips/caf%C3%A9").parameters["id"] == "café")
        #expect(match(.get, "/v1/trips/%2F").parameters["id"] == "/")
        // "+" is not a space in a path; malformed escapes are kept as sent.
        #expect(match(.get, "/v1/trips/a+b").parameters["id"] == "a+b")
        #expect(match(.get, "/v1/trips/%zz").parameters["id"] == "%zz")
        #expect(match(.get, "/cal/x%2Ey.ics").parameters["token"] == "x.y")
    }

    @Test func emptyPathFromAbsoluteFormIsRoot() {
        #expect(match(.get, "").template == "/")
    }

    @Test func routingAParsedRequest() throws {
        // The parser's path offsets feed the router directly.
        let bytes = Array("GET http://example.com/v1/trips/99?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8)
        var parser = RequestParser()
        var i = 0
        let head: RequestHead? = bytes.withUnsafeBytes { p in
            if case .head(let h) = parser.parse(p, &i) { return h }
            return nil
        }
        let h = try #require(head)
        let m = h.withPath { Self.router.match(h.method, path: $0) }
        #expect(m.template == "/v1/trips/{id}")
        #expect(m.parameters["id"] == "99")
    }
}
