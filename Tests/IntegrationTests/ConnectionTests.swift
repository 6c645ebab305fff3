import Testing

/// Keep-alive rules, HEAD, bodiless statuses, routing errors and handler failures (DESIGN §2).
@Suite("Connections and responses")
struct ConnectionTests {
    @Test func http11KeepsAliveByDefault() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        for i in 0..<5 {
            try c.send(request("GET", "/items/\(i)"))
            let r = try c.readFinalResponse().final
            #expect(r.bodyString == "item \(i)")
            #expect(r.header("connection") == nil)
            expectCommonHeaders(r)
        }
        #expect(c.staysQuiet(for: .milliseconds(200)))
        #expect(s.server.stats.openConnections == 1)
    }

    /// `Connection: close` is honoured; a request pipelined behind it is never run.
    @Test(arguments: ["close", "Close", "keep-alive, close", "upgrade,close"])
    func connectionCloseIsHonoured(_ value: String) throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/items/last", headers: ["Connection: \(value)"]) + smuggledRequest)
        let (rs, closed, _) = c.readAllUntilClose()
        #expect(closed)
        #expect(rs.count == 1)
        #expect(rs.first?.bodyString == "item last")
        #expect(rs.first?.saysClose == true)
        #expect(s.log.paths == ["/items/last"])
        #expect(s.waitForOpenConnections(0))
    }

    @Test func http10ClosesUnlessAsked() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/items/old", version: "HTTP/1.0", host: nil) + smuggledRequest)
        let (rs, closed, _) = c.readAllUntilClose()
        #expect(closed)
        #expect(rs.count == 1)
        #expect(rs.first?.status == 200)
        #expect(rs.first?.bodyString == "item old")
        #expect(rs.first?.saysClose == true)
        #expect(s.log.smuggled == 0)
    }

    @Test func http10KeepAliveWhenAsked() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        for i in 0..<3 {
            try c.send(
                request("GET", "/items/\(i)", version: "HTTP/1.0", host: nil, headers: ["Connection: Keep-Alive"]))
            let r = try c.readFinalResponse().final
            #expect(r.bodyString == "item \(i)")
            #expect(r.header("connection")?.lowercased() == "keep-alive")
        }
        expectAlive(c)
    }

    /// The client half-closes after its requests: they are still answered, then the server closes.
    @Test func halfCloseStillAnswered() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/slow?ms=50") + request("GET", "/items/b"))
        c.shutdownWrite()
        let (rs, closed, _) = c.readAllUntilClose()
        #expect(rs.map(\.bodyString) == ["slept 50", "item b"])
        #expect(closed)
        #expect(s.waitForOpenConnections(0))
    }

    /// HEAD: the GET route's headers, Content-Length included, and no body — the next response on the
    /// connection starts right where the head ended.
    @Test func headMatchesGetWithoutBody() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/head-check"))
        let get = try c.readFinalResponse().final
        try c.send(request("HEAD", "/head-check") + request("GET", "/head-check"))
        let head = try c.readFinalResponse(head: true).final
        #expect(head.status == 200)
        #expect(head.header("content-length") == "10")
        #expect(head.header("x-head-check") == "yes")
        #expect(head.header("content-type") == get.header("content-type"))
        expectCommonHeaders(head)
        let again = try c.readFinalResponse().final
        #expect(again.bodyString == "0123456789")
        try c.send(request("HEAD", "/items/7") + request("HEAD", "/nowhere"))
        let h1 = try c.readFinalResponse(head: true).final
        #expect(h1.header("content-length") == "6")
        let h2 = try c.readFinalResponse(head: true).final
        #expect(h2.status == 404)
        expectAlive(c)
    }

    @Test func bodilessStatuses() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/no-content") + request("GET", "/not-modified") + request("DELETE", "/items/1"))
        let rs = try c.readResponses(3)
        #expect(rs.map(\.status) == [204, 304, 204])
        for r in rs {
            #expect(r.body.isEmpty)
            #expect(r.header("transfer-encoding") == nil)
            #expect(r.header("content-length") == nil || r.header("content-length") == "0")
            expectCommonHeaders(r)
        }
        #expect(rs[1].header("etag") == "\"v1\"")
        expectAlive(c)
    }

    @Test func notFoundKeepsConnection() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/nowhere") + request("GET", "/items") + request("GET", "/items/1/extra"))
        for r in try c.readResponses(3) {
            expectProblem(r, 404)
            #expect(!r.saysClose)
        }
        expectAlive(c)
    }

    @Test func methodNotAllowedListsAllow() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(
            post("/items/1", "x") + request("GET", "/echo") + request("PUT", "/healthz", headers: ["Content-Length: 0"])
        )
        let rs = try c.readResponses(3)
        for r in rs {
            expectProblem(r, 405)
            #expect(!r.saysClose)
        }
        let allowItems = Set((rs[0].header("allow") ?? "").split(separator: ",").map(\.trimmed))
        #expect(allowItems.isSuperset(of: ["GET", "HEAD", "DELETE"]))
        #expect(!allowItems.contains("POST"))
        let allowEcho = Set((rs[1].header("allow") ?? "").split(separator: ",").map(\.trimmed))
        #expect(allowEcho.contains("POST"))
        #expect(!allowEcho.contains("GET"))
        #expect(rs[2].header("allow")?.contains("GET") == true)
        // OPTIONS on a known path answers with Allow.
        try c.send(request("OPTIONS", "/echo"))
        let options = try c.readFinalResponse().final
        #expect(options.status == 204)
        #expect(options.header("allow")?.contains("POST") == true)
        expectAlive(c)
        #expect(s.log.paths == ["/items/alive"])
    }

    /// A body sent to a 405 or 404 is consumed by its framing, not parsed as the next request.
    @Test func bodyOfRejectedRequestIsSkipped() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(post("/nowhere", smuggledRequest) + post("/items/1", smuggledRequest))
        let rs = try c.readResponses(2)
        #expect(rs.map(\.status) == [404, 405])
        expectAlive(c)
        #expect(s.log.smuggled == 0)
    }

    /// A throwing handler is a 500 problem+json without internals; the connection stays usable.
    @Test func throwingHandlerIs500() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.connect()
        try c.send(request("GET", "/throws") + request("GET", "/items/after"))
        let r = try c.readFinalResponse().final
        expectProblem(r, 500)
        #expect(!r.saysClose)
        #expect(!r.bodyString.contains("Boom"))
        #expect(try c.readFinalResponse().final.bodyString == "item after")
        expectAlive(c)
    }

    /// Beyond `maxConnections`, a new connection gets 503 and is closed; the open ones keep working.
    @Test func connectionCap() throws {
        let s = try TestServer { $0.maxConnections = 2 }
        defer { s.stop() }
        let a = try s.connect()
        let b = try s.connect()
        expectAlive(a)
        expectAlive(b)
        let extra = try s.connect()
        let (rs, closed, _) = extra.readAllUntilClose()
        #expect(closed)
        #expect(rs.first?.status == 503)
        #expect(rs.first?.header("retry-after") != nil)
        if let r = rs.first {
            #expect(r.header("content-type") == "application/problem+json")
            #expect(r.bodyString.contains("\"status\":503"))
            expectCommonHeaders(r)
            #expect(r.bodyString.contains("too many connections"))
        }
        expectAlive(a)
    }
}
