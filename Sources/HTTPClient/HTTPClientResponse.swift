import HTTP

/// The status line and header fields of a response, as the streaming variant hands them over first.
public struct HTTPClientResponseHead: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPFields
    /// 0 for HTTP/1.0, 1 for HTTP/1.1 (or a later 1.x, which RFC 9110 §2.5 lets us treat as 1.1).
    public var minorVersion: UInt8

    public init(status: HTTPStatus, headers: HTTPFields, minorVersion: UInt8 = 1) {
        self.status = status
        self.headers = headers
        self.minorVersion = minorVersion
    }

    /// Whether the server lets the connection be reused: HTTP/1.1 unless it says `close`, HTTP/1.0 only
    /// when it says `keep-alive` (RFC 9112 §9.3).
    var keepsAlive: Bool {
        minorVersion >= 1
            ? !headers.containsToken(.connection, "close") : headers.containsToken(.connection, "keep-alive")
    }
}

/// A complete response: status, header fields and the whole body (decoded from chunked framing; content
/// codings such as gzip are left alone, and none are asked for).
public struct HTTPClientResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPFields
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text (invalid sequences replaced), for logs and error messages.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
