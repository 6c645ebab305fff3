/// An HTTP response: status, headers and a body that is either bytes or a stream.
///
/// `Date`, `Content-Length`/`Transfer-Encoding` and `Connection` are added by the server; a handler
/// sets only what is about its resource.
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPFields
    public var body: ResponseBody

    public init(status: HTTPStatus = .ok, headers: HTTPFields = HTTPFields(), body: ResponseBody = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a byte body and its content type.
    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8]) {
        var headers = HTTPFields()
        headers.append(.contentType, contentType)
        self.init(status: status, headers: headers, body: .bytes(body))
    }
}

/// A response body. Streams are written chunked unless they declare their length.
public enum ResponseBody: Sendable {
    case bytes([UInt8])
    case stream(BodyStream)
}

/// A body produced over time (downloads, server-sent events).
///
/// `produce` runs on the server's streaming queue, not on the handler pool, so a long stream never holds
/// a handler slot; `BodyWriter.write` blocks while the client is slow (backpressure) and throws once
/// the client has gone away, which is the producer's signal to stop.
public struct BodyStream: Sendable {
    public var contentLength: Int?
    public var produce: @Sendable (any BodyWriter) throws -> Void

    public init(contentLength: Int? = nil, produce: @escaping @Sendable (any BodyWriter) throws -> Void) {
        self.contentLength = contentLength
        self.produce = produce
    }
}

/// Where a `BodyStream` writes.
public protocol BodyWriter: Sendable {
    /// Queues bytes for the client, waiting while too much is already queued; throws when the
    /// connection is closed.
    func write(_ bytes: [UInt8]) throws
}

/// Thrown by `BodyWriter.write` when the client has gone.
public struct ClientDisconnected: Error, Sendable {}
