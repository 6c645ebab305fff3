/// A header field name: kept as written for output and pre-lowercased for case-insensitive lookup, so
/// no lookup lowercases anything per request.
public struct HTTPFieldName: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    @usableFromInline let lowercased: [UInt8]

    public init(_ name: String) {
        self.name = name
        self.lowercased = name.utf8.map(ASCII.lower)
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { name }

    public static func == (a: Self, b: Self) -> Bool { a.lowercased == b.lowercased }
    public func hash(into h: inout Hasher) { h.combine(lowercased) }

    public static let accept: Self = "Accept"
    public static let acceptEncoding: Self = "Accept-Encoding"
    public static let allow: Self = "Allow"
    public static let authorization: Self = "Authorization"
    public static let cacheControl: Self = "Cache-Control"
    public static let connection: Self = "Connection"
    public static let contentEncoding: Self = "Content-Encoding"
    public static let contentLength: Self = "Content-Length"
    public static let contentType: Self = "Content-Type"
    public static let date: Self = "Date"
    public static let etag: Self = "ETag"
    public static let expect: Self = "Expect"
    public static let host: Self = "Host"
    public static let ifMatch: Self = "If-Match"
    public static let ifNoneMatch: Self = "If-None-Match"
    public static let location: Self = "Location"
    public static let retryAfter: Self = "Retry-After"
    public static let server: Self = "Server"
    public static let transferEncoding: Self = "Transfer-Encoding"
    public static let userAgent: Self = "User-Agent"
    public static let vary: Self = "Vary"
    public static let wwwAuthenticate: Self = "WWW-Authenticate"
    public static let xRequestID: Self = "X-Request-ID"
    public static let xForwardedFor: Self = "X-Forwarded-For"
}
