import HTTP

/// Our own `HTTPServer` on 127.0.0.1 (or ::1) and an ephemeral port, with routes for client tests:
///
/// - `GET /whoami` → the peer address the server saw ("ip:port"), which changes with each connection
/// - `POST /echo` → the body back with the request's `Content-Type`, plus `X-Seen-User-Agent` and
///   `X-Seen-Content-Length`
/// - `GET /bytes?n=N` → N bytes with `Content-Length`; `GET /chunked?n=N` the same as a chunked stream
/// - `GET /stream?chunks=N` → a chunked stream of `part-<i>;` pieces
/// - `GET /no-content` → 204, `GET /not-modified` → 304
final class LocalServer: Sendable {
    let server: HTTPServer
    let host: String

    init(host: String = "127.0.0.1") throws {
        var config = ServerConfiguration()
        config.host = host
        config.port = 0
        config.ioQueues = 1
        config.handlerThreads = 2
        config.gracePeriod = .seconds(2)
        self.host = host
        server = HTTPServer(configuration: config, router: Self.router())
        try server.start()
    }

    deinit { _ = server.shutdown() }

    var url: String { host.contains(":") ? "http://[\(host)]:\(server.port)" : "http://\(host):\(server.port)" }

    private static func router() -> Router {
        var r = Router()
        r.get("/whoami") { req in Response(contentType: "text/plain", body: Array(req.remoteAddress.utf8)) }
        r.post("/echo") { req in
            var response = Response(
                contentType: req.headers[.contentType] ?? "application/octet-stream", body: req.body)
            response.headers.append("X-Seen-User-Agent", req.headers[.userAgent] ?? "")
            response.headers.append("X-Seen-Content-Length", req.headers[.contentLength] ?? "")
            return response
        }
        r.get("/bytes") { req in
            let n = Int(req.queryValue("n") ?? "") ?? 0
            return Response(contentType: "application/octet-stream", body: pattern(n))
        }
        r.get("/chunked") { req in
            let n = Int(req.queryValue("n") ?? "") ?? 0
            return Response(
                body: .stream(
                    BodyStream { writer in
                        let bytes = pattern(n)
                        for start in stride(from: 0, to: n, by: 4096) {
                            try writer.write(Array(bytes[start..<min(start + 4096, n)]))
                        }
                    }))
        }
        r.get("/stream") { req in
            let chunks = Int(req.queryValue("chunks") ?? "") ?? 5
            return Response(
                body: .stream(
                    BodyStream { writer in for i in 0..<chunks { try writer.write(Array("part-\(i);".utf8)) } }))
        }
        r.get("/no-content") { _ in Response(status: .noContent) }
        r.get("/not-modified") { _ in
            var headers = HTTPFields()
            headers.append(.etag, "\"v1\"")
            return Response(status: .notModified, headers: headers)
        }
        return r
    }
}

/// `n` bytes of a recognisable pattern.
func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) } }
