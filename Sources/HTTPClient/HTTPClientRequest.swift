import HTTP

/// An outbound request: method, absolute URL, header fields and body bytes.
///
/// The URL is parsed when the request is made, so a bad URL fails where it was written rather than
/// deep inside a retry loop. The client owns framing and routing fields: it sets `Host` from the URL and
/// `Content-Length` from the body, and drops any `Host`, `Content-Length` or `Transfer-Encoding` given
/// here; `User-Agent` is added unless present. `Connection: close` is honoured (the connection is not
/// pooled afterwards).
public struct HTTPClientRequest: Sendable {
    public var method: HTTPMethod
    /// Where the request goes (parsed; see `URLParts`).
    public let url: URLParts
    public var headers: HTTPFields
    public var body: [UInt8]

    /// A request to `url`, which must be an absolute `http://` or `https://` URL.
    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPFields = HTTPFields(), body: [UInt8] = []
    ) throws(HTTPClientError) {
        try self.init(method: method, url: URLParts(parsing: url), headers: headers, body: body)
    }

    /// A request to an already parsed URL.
    public init(method: HTTPMethod = .get, url: URLParts, headers: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2): the only ones the
    /// client resends after a reused connection dies mid-request.
    public var isIdempotent: Bool {
        switch method {
        case .get, .head, .put, .delete, .options: true
        case .post, .patch: false
        }
    }

    /// Whether the caller asked for the connection to be closed after this exchange.
    var asksToClose: Bool { headers.containsToken(.connection, "close") }
}
