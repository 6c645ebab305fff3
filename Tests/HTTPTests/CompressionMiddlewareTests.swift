import Compression
import HTTP
import Testing

@Suite struct CompressionMiddlewareTests {
    static let json = Array(String(repeating: #"{"id":"0190d3b2","name":"Lisbon"},"#, count: 100).utf8)

    /// Runs the middleware for a request with the given Accept-Encoding values in front of a handler that
    /// answers `response`.
    func run(
        acceptEncoding: [String] = ["gzip"], _ response: Response,
        middleware: CompressionMiddleware = CompressionMiddleware()
    ) throws -> Response {
        var headers = HTTPFields()
        headers.append(.host, "example.com")
        for value in acceptEncoding { headers.append(.acceptEncoding, value) }
        let request = Request(method: .get, target: "/v1/trips?limit=20", headers: headers)
        return try middleware.respond(to: request) { _ in response }
    }

    func ok(_ contentType: String = "application/json", body: [UInt8] = json) -> Response {
        Response(status: .ok, contentType: contentType, body: body)
    }

    func bytes(_ response: Response) -> [UInt8]? {
        guard case .bytes(let b) = response.body else { return nil }
        return b
    }

    func expectCompressed(
        _ response: Response, original: [UInt8] = json, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.headers[.contentEncoding] == "gzip", sourceLocation: sourceLocation)
        #expect(response.headers.values(.vary) == ["Accept-Encoding"], sourceLocation: sourceLocation)
        let body = try #require(bytes(response), sourceLocation: sourceLocation)
        #expect(body.count < original.count, sourceLocation: sourceLocation)
        // Compared as a Bool so that a failure does not print kilobytes of array.
        let roundTrips = try Gzip.decompress(body, maxOutputBytes: original.count) == original
        #expect(roundTrips, "the body does not decompress to the original", sourceLocation: sourceLocation)
    }

    func expectIdentity(
        _ response: Response, vary: Bool, original: [UInt8] = json, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.headers[.contentEncoding] == nil, sourceLocation: sourceLocation)
        #expect(response.headers.contains(.vary) == vary, sourceLocation: sourceLocation)
        let unchanged = bytes(response) == original
        #expect(unchanged, "the body was changed", sourceLocation: sourceLocation)
    }

    @Test func compressesJSONForAGzipClient() throws {
        let response = try run(acceptEncoding: ["gzip, deflate, br, zstd"], ok())
        try expectCompressed(response)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.status == .ok)
    }

    @Test(arguments: [
        "gzip", "GZIP", "x-gzip", "gzip;q=1", "gzip; q=0.001", "gzip;Q=0.5", "br;q=1.0, gzip;q=0.8",
        "*", "*;q=0.1", "identity, *", "deflate, gzip ;q=1.000", "gzip;level=9", "gzip; q = 0.5",
    ])
    func acceptsGzip(_ acceptEncoding: String) throws {
        try expectCompressed(try run(acceptEncoding: [acceptEncoding], ok()))
    }

    @Test(arguments: [
        "", "identity", "deflate, br", "gzip;q=0", "GZIP;Q=0.000", "gzip;q=0, *", "*;q=0", "gzip;q=0,*;q=1",
        "gzip;q=2", "gzip;q=abc", "gzip;q=", "gzip;q=0.0001", "gzipx", "xgzip", "gzip/1", " , ,",
    ])
    func refusesOrDoesNotAcceptGzip(_ acceptEncoding: String) throws {
        expectIdentity(try run(acceptEncoding: [acceptEncoding], ok()), vary: true)
    }

    @Test func missingAcceptEncodingSendsIdentityWithVary() throws {
        expectIdentity(try run(acceptEncoding: [], ok()), vary: true)
    }

    @Test func acceptEncodingSpreadOverSeveralFields() throws {
        try expectCompressed(try run(acceptEncoding: ["br", "gzip"], ok()))
        expectIdentity(try run(acceptEncoding: ["*", "gzip;q=0"], ok()), vary: true)
    }

    @Test(arguments: [
        "application/json", "application/json; charset=utf-8", "Application/JSON", "application/problem+json",
        "application/vnd.api+json", "application/javascript", "application/xml", "application/atom+xml",
        "image/svg+xml", "text/html; charset=utf-8", "text/plain", "text/csv", "TEXT/CSS",
    ])
    func compressibleTypes(_ contentType: String) throws {
        try expectCompressed(try run(ok(contentType)))
    }

    @Test(arguments: [
        "image/png", "application/octet-stream", "application/zip", "application/gzip", "video/mp4",
        "application/+json", "text/", "application/jsonx", "font/woff2", "multipart/form-data; boundary=x",
    ])
    func incompressibleTypesAreUntouched(_ contentType: String) throws {
        expectIdentity(try run(ok(contentType)), vary: false)
    }

    @Test func missingContentTypeIsUntouched() throws {
        expectIdentity(try run(Response(body: .bytes(Self.json))), vary: false)
    }

    @Test func smallBodiesAreUntouched() throws {
        let small = Array(Self.json.prefix(1023))
        expectIdentity(try run(ok(body: small)), vary: false, original: small)
        let exact = Array(Self.json.prefix(1024))
        try expectCompressed(try run(ok(body: exact)), original: exact)
    }

    @Test func minimumBytesIsConfigurable() throws {
        let body = Array(#"{"a":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#.utf8)
        try expectCompressed(
            try run(ok(body: body), middleware: CompressionMiddleware(minimumBytes: 10)), original: body)
        expectIdentity(try run(ok(), middleware: CompressionMiddleware(minimumBytes: 1 << 20)), vary: false)
    }

    @Test(arguments: [204, 206, 304, 101])
    func statusesWithoutABodyOrWithRangesAreUntouched(_ code: Int) throws {
        expectIdentity(
            try run(Response(status: HTTPStatus(code), contentType: "text/plain", body: Self.json)), vary: false)
    }

    @Test(arguments: [201, 400, 404, 422, 500])
    func otherStatusesAreCompressed(_ code: Int) throws {
        let response = try run(
            Response(status: HTTPStatus(code), contentType: "application/problem+json", body: Self.json))
        try expectCompressed(response)
        #expect(response.status.code == code)
    }

    @Test func alreadyEncodedResponsesAreUntouched() throws {
        var response = ok()
        response.headers.append(.contentEncoding, "br")
        let out = try run(response)
        #expect(out.headers.values(.contentEncoding) == ["br"])
        #expect(!out.headers.contains(.vary))
        let unchanged = bytes(out) == Self.json
        #expect(unchanged, "the body was changed")
    }

    @Test func streamsAreNeverTouched() throws {
        var headers = HTTPFields()
        headers.append(.contentType, "text/event-stream")
        let response = Response(headers: headers, body: .stream(BodyStream { _ in }))
        let out = try run(response)
        guard case .stream = out.body else {
            Issue.record("the stream became bytes")
            return
        }
        #expect(out.headers[.contentEncoding] == nil)
        #expect(!out.headers.contains(.vary))
    }

    @Test func existingVaryIsKeptAndNotDuplicated() throws {
        var response = ok()
        response.headers.append(.vary, "Origin")
        #expect(try run(response).headers.values(.vary) == ["Origin", "Accept-Encoding"])

        var already = ok()
        already.headers.append(.vary, "Origin, accept-encoding")
        let out = try run(already)
        #expect(out.headers.values(.vary) == ["Origin, accept-encoding"])
        #expect(out.headers[.contentEncoding] == "gzip")

        var star = ok()
        star.headers.append(.vary, "*")
        #expect(try run(acceptEncoding: [], star).headers.values(.vary) == ["*"])
    }

    @Test func handlerSetContentLengthIsDropped() throws {
        var response = ok()
        response.headers.append(.contentLength, "\(Self.json.count)")
        let out = try run(response)
        try expectCompressed(out)
        #expect(!out.headers.contains(.contentLength))
    }

    @Test func otherHeadersAreKept() throws {
        var response = ok()
        response.headers.append(.etag, #""v1""#)
        response.headers.append(.cacheControl, "private")
        let out = try run(response)
        #expect(out.headers[.etag] == #""v1""#)
        #expect(out.headers[.cacheControl] == "private")
    }

    @Test func incompressibleBodyIsSentAsIs() throws {
        // Random bytes labelled as text do not shrink: sending them gzip'd would only cost the client.
        var state: UInt64 = 42
        let noise = (0..<4096).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        expectIdentity(try run(ok("text/plain", body: noise)), vary: true, original: noise)
    }

    @Test func handlerErrorsPropagate() {
        struct Boom: Error {}
        let request = Request(method: .get, target: "/", headers: HTTPFields())
        #expect(throws: Boom.self) { try CompressionMiddleware().respond(to: request) { _ in throw Boom() } }
    }

    @Test func worksInAMiddlewareChain() throws {
        let chain: [any Middleware] = [CompressionMiddleware()]
        let handler = chain.wrapping { _ in Response(status: .ok, contentType: "application/json", body: Self.json) }
        var headers = HTTPFields()
        headers.append(.acceptEncoding, "gzip")
        try expectCompressed(try handler(Request(method: .get, target: "/", headers: headers)))
    }
}
