/// An HTTP request as handlers see it: parsed head, fully read body, and per-request values.
///
/// The path, query and target are views into the head's octets and become `String`s only when read.
public struct Request: Sendable {
    public let method: HTTPMethod
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public let minorVersion: UInt8
    public var headers: HTTPFields
    public var body: [UInt8]
    /// The peer's address ("ip:port"); Kernel replaces it with the client address behind trusted proxies.
    public var remoteAddress: String
    /// Set by the request-id middleware; empty before it runs.
    public var requestID: String = ""
    /// The matched route template (e.g. `/v1/trips/{id}`), or "" when no route matched.
    public internal(set) var route: String = ""
    public internal(set) var parameters: PathParameters = PathParameters()
    /// Typed values middleware hands to handlers (the authenticated principal, for instance).
    public var context = RequestContext()

    let targetRange: Range<Int>
    let pathRange: Range<Int>
    let queryStart: Int

    init(head: RequestHead, body: [UInt8], remoteAddress: String) {
        self.method = head.method
        self.minorVersion = head.minorVersion
        self.headers = head.fields
        self.body = body
        self.remoteAddress = remoteAddress
        self.targetRange = head.targetStart..<head.targetEnd
        self.pathRange = head.pathStart..<head.pathEnd
        self.queryStart = head.queryStart
    }

    /// A request built in code (tests, internal dispatch).
    public init(method: HTTPMethod, target: String, headers: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        var fields = headers
        let start = fields.storage.count
        fields.storage.append(contentsOf: target.utf8)
        let end = fields.storage.count
        var q = start
        while q < end, fields.storage[q] != ASCII.question { q += 1 }
        self.method = method
        self.minorVersion = 1
        self.headers = fields
        self.body = body
        self.remoteAddress = ""
        self.targetRange = start..<end
        self.pathRange = start..<q
        self.queryStart = q < end ? q + 1 : -1
    }

    /// The request-target exactly as sent.
    public var target: String { decode(targetRange) }

    /// The path, still percent-encoded ("/" when an absolute-form target had none).
    public var path: String { pathRange.isEmpty ? "/" : decode(pathRange) }

    /// The raw query string after "?", or nil.
    public var query: String? {
        queryStart < 0 ? nil : decode(queryStart..<targetRange.upperBound)
    }

    /// The first value of a query parameter, percent-decoded ("+" is a space), or nil.
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if PercentDecoding.decode(parts[0], plusIsSpace: true) == name {
                return parts.count > 1 ? PercentDecoding.decode(parts[1], plusIsSpace: true) ?? "" : ""
            }
        }
        return nil
    }

    private func decode(_ r: Range<Int>) -> String {
        String(decoding: headers.storage[r], as: UTF8.self)
    }
}

/// Values captured by `{name}` segments of the matched route, already percent-decoded.
public struct PathParameters: Sendable {
    var pairs: [(name: String, value: String)] = []

    public subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    public var count: Int { pairs.count }
}

/// Declares a typed slot in `RequestContext`: `enum PrincipalKey: RequestContextKey { typealias Value = Principal }`.
public protocol RequestContextKey {
    associatedtype Value: Sendable
}

/// A small typed map carried by a request from middleware to handlers.
public struct RequestContext: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public subscript<K: RequestContextKey>(_ key: K.Type) -> K.Value? {
        get { values[ObjectIdentifier(key)] as? K.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }
}

enum PercentDecoding {
    /// Decodes %XX escapes; nil when an escape is malformed or the result is not UTF-8.
    static func decode<S: StringProtocol>(_ s: S, plusIsSpace: Bool = false) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            if b == ASCII.percent {
                guard let h = it.next().flatMap(ASCII.hexValue), let l = it.next().flatMap(ASCII.hexValue) else {
                    return nil
                }
                out.append(h << 4 | l)
            } else {
                out.append(plusIsSpace && b == 0x2B ? ASCII.sp : b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
