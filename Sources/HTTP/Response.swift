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
    /// The whole response is not known yet (see `DeferredResponse`); the status and fields of the
    /// response carrying it are placeholders, apart from fields middleware added, which are kept.
    case deferred(DeferredResponse)
}

/// A response that waits on something slow (an LLM provider answering for a minute) without holding a
/// handler thread: the handler returns at once, `produce` runs on the server's streaming queue, and what
/// it returns is sent in the request's place, pipelined order kept. `produce` cannot throw: it answers
/// its own errors.
public struct DeferredResponse: Sendable {
    public let produce: @Sendable () -> Response

    public init(_ produce: @escaping @Sendable () -> Response) {
        self.produce = produce
    }

    /// The same response passed through `transform` once produced: how middleware that records a
    /// response's status (access log, metrics) sees the real one.
    public func map(_ transform: @escaping @Sendable (Response) -> Response) -> DeferredResponse {
        let produce = self.produce
        return DeferredResponse { transform(produce()) }
    }

    /// Produces the response; a nested deferred one is produced too, and fields on `placeholder`
    /// (added by middleware) that the produced response lacks are carried over.
    public func resolve(placeholder: HTTPFields) -> Response {
        var response = produce()
        while case .deferred(let inner) = response.body {
            let outer = response.headers
            response = inner.produce()
            response.headers.merge(missingFrom: outer)
        }
        response.headers.merge(missingFrom: placeholder)
        return response
    }
}

extension Response {
    /// A response produced later off the handler pool (see `DeferredResponse`).
    public static func deferred(_ produce: @escaping @Sendable () -> Response) -> Response {
        Response(status: .ok, body: .deferred(DeferredResponse(produce)))
    }
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
