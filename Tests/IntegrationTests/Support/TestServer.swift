import HTTP
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Which handlers ran, in order, and which protocol errors the server reported.
final class HitLog: Sendable {
    // Appended by handler threads and I/O queues, read by the test thread.
    private let state = Mutex<(paths: [String], errors: [Int], running: Int)>(([], [], 0))

    func record(_ path: String) { state.withLock { $0.paths.append(path) } }
    func recordError(_ status: Int) { state.withLock { $0.errors.append(status) } }
    func enter() { state.withLock { $0.running += 1 } }
    func leave() { state.withLock { $0.running -= 1 } }

    var paths: [String] { state.withLock { $0.paths } }
    var protocolErrors: [Int] { state.withLock { $0.errors } }
    /// Handlers of `/slow` running now.
    var running: Int { state.withLock { $0.running } }
    func count(_ path: String) -> Int { paths.filter { $0 == path }.count }
    /// Handlers run for any path containing "smuggled".
    var smuggled: Int { paths.filter { $0.contains("smuggled") }.count }
}

struct Boom: Error {}

/// An `HTTPServer` on 127.0.0.1 and an ephemeral port, with routes made for protocol tests:
///
/// - `GET /healthz` → `{"status":"ok"}`
/// - `POST /echo` (body limit 1024) → the body back, with `X-Body-Length`
/// - `POST /upload` (default 1 MiB limit) → the body length as text
/// - `GET|DELETE /items/{id}` → `item <id>` / 204
/// - `GET /slow?ms=N` → sleeps N ms, then `slept N`
/// - `GET /stream?chunks=N` → a chunked stream of `part-<i>;` pieces; `GET /stream-length` a sized one
/// - `GET /head-check` → `0123456789` with `X-Head-Check: yes`
/// - `GET /throws` → a handler that throws a non-HTTP error
/// - `GET /no-content` → 204, `GET /not-modified` → 304
///
/// Every handler records `request.path` in `log`.
final class TestServer: Sendable {
    let server: HTTPServer
    let log = HitLog()

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var config = ServerConfiguration()
        config.port = 0
        config.headerTimeout = .seconds(5)
        config.bodyTimeout = .seconds(5)
        config.gracePeriod = .seconds(2)
        configure(&config)
        var events = ServerEvents()
        let log = self.log
        events.protocolError = { error, _ in log.recordError(error.status.code) }
        server = HTTPServer(configuration: config, router: Self.router(log), events: events)
        try server.start()
    }

    var port: Int { server.port }

    func connect(timeout: Duration = .seconds(5)) throws -> RawClient {
        try RawClient(port: port, timeout: timeout)
    }

    @discardableResult
    func stop() -> Bool { server.shutdown() }

    /// Polls until the server's open-connection count is `n` (no leaked connections).
    func waitForOpenConnections(_ n: Int, timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if server.stats.openConnections == n { return true }
            sleepFor(.milliseconds(10))
        }
        return server.stats.openConnections == n
    }

    private static func router(_ log: HitLog) -> Router {
        var r = Router()
        r.get("/healthz") { req in
            log.record(req.path)
            return Response(contentType: "application/json", body: Array(#"{"status":"ok"}"#.utf8))
        }
        r.post("/echo", bodyLimit: 1024) { req in
            log.record(req.path)
            var response = Response(contentType: "application/octet-stream", body: req.body)
            response.headers.append(HTTPFieldName("X-Body-Length"), String(req.body.count))
            return response
        }
        r.post("/upload") { req in
            log.record(req.path)
            return Response(contentType: "text/plain", body: Array(String(req.body.count).utf8))
        }
        r.get("/items/{id}") { req in
            log.record(req.path)
            return Response(contentType: "text/plain", body: Array("item \(req.parameters["id"] ?? "?")".utf8))
        }
        r.delete("/items/{id}") { req in
            log.record(req.path)
            return Response(status: .noContent)
        }
        r.get("/slow") { req in
            log.record(req.path)
            log.enter()
            defer { log.leave() }
            let ms = Int(req.queryValue("ms") ?? "") ?? 100
            sleepFor(.milliseconds(ms))
            return Response(contentType: "text/plain", body: Array("slept \(ms)".utf8))
        }
        r.get("/stream") { req in
            log.record(req.path)
            let chunks = Int(req.queryValue("chunks") ?? "") ?? 5
            return Response(
                headers: contentType("text/plain"),
                body: .stream(
                    BodyStream { writer in
                        for i in 0..<chunks { try writer.write(Array("part-\(i);".utf8)) }
                    }))
        }
        r.get("/stream-length") { req in
            log.record(req.path)
            return Response(
                headers: contentType("text/plain"),
                body: .stream(
                    BodyStream(contentLength: 10) { writer in
                        try writer.write(Array("01234".utf8))
                        try writer.write(Array("56789".utf8))
                    }))
        }
        r.get("/head-check") { req in
            log.record(req.path)
            var response = Response(contentType: "text/plain", body: Array("0123456789".utf8))
            response.headers.append(HTTPFieldName("X-Head-Check"), "yes")
            return response
        }
        r.get("/throws") { req in
            log.record(req.path)
            throw Boom()
        }
        r.get("/no-content") { req in
            log.record(req.path)
            return Response(status: .noContent)
        }
        r.get("/not-modified") { req in
            log.record(req.path)
            var h = HTTPFields()
            h.append(HTTPFieldName("ETag"), "\"v1\"")
            return Response(status: .notModified, headers: h)
        }
        return r
    }
}

private func contentType(_ value: String) -> HTTPFields {
    var h = HTTPFields()
    h.append(.contentType, value)
    return h
}
