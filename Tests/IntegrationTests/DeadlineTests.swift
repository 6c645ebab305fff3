import Testing

/// Header, body and idle deadlines (DESIGN §2): whole-request deadlines, not per read. Bounds are
/// generous: a deadline must not fire early, and must fire within a few seconds of its time.
@Suite("Deadlines")
struct DeadlineTests {
    static func server() throws -> TestServer {
        try TestServer {
            $0.headerTimeout = .seconds(1)
            $0.bodyTimeout = .seconds(1)
            $0.idleTimeout = .seconds(10)
        }
    }

    static func expect408(
        _ c: RawClient, after start: ContinuousClock.Instant, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectVerdict(c, 408, sourceLocation: sourceLocation)
        let elapsed = ContinuousClock.now - start
        #expect(
            elapsed >= .milliseconds(950), "408 after \(elapsed), before the deadline", sourceLocation: sourceLocation)
        #expect(elapsed < .seconds(5), "408 only after \(elapsed)", sourceLocation: sourceLocation)
    }

    @Test func incompleteHeadGets408() throws {
        let s = try Self.server()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(6))
        let start = ContinuousClock.now
        try c.send("GET /items/1 HTTP/1.1\r\nHost: t\r\nX-Partial: ")
        Self.expect408(c, after: start)
        #expect(s.log.paths.isEmpty)
        #expect(s.log.protocolErrors == [408])
    }

    /// A byte every 100 ms keeps every read busy but the head still has one deadline.
    @Test func tricklingHeadGets408() throws {
        let s = try Self.server()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(6))
        let start = ContinuousClock.now
        let head = Array(("GET /items/1 HTTP/1.1\r\nHost: t\r\nX-Slow: " + String(repeating: "s", count: 200)).utf8)
        let box = UncheckedBox(c)
        let trickler = startThreads(1) { _ in
            let c = box.value
            for b in head {
                guard (try? c.send([b])) != nil else { return }
                sleepFor(.milliseconds(100))
                if ContinuousClock.now - start > .seconds(6) { return }
            }
        }
        Self.expect408(c, after: start)
        trickler.wait()
    }

    @Test func incompleteBodyGets408() throws {
        let s = try Self.server()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(6))
        try c.send(request("POST", "/echo", headers: ["Content-Length: 10"], body: "12345"))
        let start = ContinuousClock.now
        Self.expect408(c, after: start)
        #expect(s.log.paths.isEmpty)
    }

    /// A chunked body trickled one chunk every 150 ms still has one body deadline.
    @Test func tricklingChunkedBodyGets408() throws {
        let s = try Self.server()
        defer { s.stop() }
        let c = try s.connect(timeout: .seconds(6))
        try c.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked"]))
        let start = ContinuousClock.now
        let box = UncheckedBox(c)
        let trickler = startThreads(1) { _ in
            let c = box.value
            for _ in 0..<40 {
                guard (try? c.send("1\r\nx\r\n")) != nil else { return }
                sleepFor(.milliseconds(150))
            }
        }
        Self.expect408(c, after: start)
        trickler.wait()
    }

    /// The header deadline starts at the first byte of a request, not at the previous response: a
    /// keep-alive connection may sit idle longer than the header timeout between requests.
    @Test func idleBetweenRequestsIsNotAHeaderTimeout() throws {
        let s = try Self.server()
        defer { s.stop() }
        let c = try s.connect()
        expectAlive(c)
        sleepFor(.milliseconds(1600))
        expectAlive(c)
        #expect(s.log.protocolErrors.isEmpty)
    }

    /// Idle keep-alive connections are closed silently after the idle timeout.
    @Test func idleTimeoutClosesSilently() throws {
        let s = try TestServer { $0.idleTimeout = .seconds(1) }
        defer { s.stop() }
        let c = try s.connect()
        expectAlive(c)
        let start = ContinuousClock.now
        #expect(c.waitForClose(timeout: .seconds(5)) == .closed)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(950))
        #expect(s.waitForOpenConnections(0))
        // A connection that never sent anything is idle too.
        let silent = try s.connect()
        #expect(silent.waitForClose(timeout: .seconds(5)) == .closed)
    }
}

/// Load shedding (DESIGN §2): when the handler pool and its queue are full, 503 with `Retry-After` at
/// once; the connection stays open and works afterwards.
@Suite("Load shedding")
struct LoadSheddingTests {
    @Test func fullPoolSheds503AndKeepsConnections() throws {
        let s = try TestServer {
            $0.handlerThreads = 2
            $0.handlerQueueLimit = 2
        }
        defer { s.stop() }
        let clients = try (0..<16).map { _ in try s.connect(timeout: .seconds(10)) }
        for c in clients { expectAlive(c) }
        let statuses = Collector<(Int, String?, Bool)>()
        let shedResponses = Collector<UncheckedBox<RawResponse>>()
        let failures = Collector<String>()
        let clientBox = UncheckedBox(clients)
        onThreads(clients.count) { i in
            let c = clientBox.value[i]
            do {
                try c.send(request("GET", "/slow?ms=800"))
                let r = try c.readFinalResponse().final
                statuses.append((r.status, r.header("retry-after"), r.saysClose))
                if r.status == 503 { shedResponses.append(UncheckedBox(r)) }
            } catch {
                failures.append("client \(i): \(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let all = statuses.all
        let ok = all.filter { $0.0 == 200 }.count
        let shed = all.filter { $0.0 == 503 }
        #expect(ok + shed.count == 16, "statuses: \(all.map(\.0))")
        #expect(ok >= 1)
        #expect(ok <= 4, "2 threads + 2 queued")
        #expect(shed.count >= 12)
        #expect(shed.allSatisfy { $0.1 != nil && !$0.2 }, "503 carries Retry-After and keeps the connection")
        for r in shedResponses.all.prefix(3) { expectProblem(r.value, 503) }
        // Every connection, shed or not, still works.
        for c in clients { expectAlive(c) }
        #expect(s.server.stats.handlerQueueDepth == 0)
    }
}

/// Lets a non-Sendable value cross to worker threads that each touch a distinct part of it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
