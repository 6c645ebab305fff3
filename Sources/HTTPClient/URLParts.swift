#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The parts of an absolute `http`/`https` URL that an HTTP/1.1 request needs (RFC 3986, RFC 9110 §4.2).
///
/// Parsed from octets rather than with Foundation's `URL`, whose leniency differs across platforms.
/// Stricter than browsers on purpose: no credentials in the authority (they would end up in logs; send
/// an `Authorization` header instead), no zone ids, no raw spaces or non-ASCII in the path (the caller
/// percent-encodes), and the port is parsed from digits only.
public struct URLParts: Sendable, Hashable, CustomStringConvertible {
    /// The two schemes an HTTP client speaks.
    public enum Scheme: String, Sendable, Hashable {
        case http
        case https

        /// 80 or 443.
        public var defaultPort: Int { self == .http ? 80 : 443 }
    }

    /// Longest URL accepted: far above any geocoding or LLM URL, well below the server's 8 KiB target limit
    /// plus authority, so a runaway query string fails here rather than as someone else's 414.
    public static let maxLength = 16 * 1024

    public let scheme: Scheme
    /// The host, lowercased; an IPv6 literal without its brackets.
    public let host: String
    public let port: Int
    /// The origin-form request-target: path (at least "/") and query, without the fragment.
    public let target: String
    /// Whether `host` is an IPv6 address literal (bracketed in `Host` and in descriptions).
    public let isIPv6Literal: Bool

    /// Parses `url`. Throws `unsupportedScheme` for a well-formed scheme other than http/https and
    /// `invalidURL` for everything else that is wrong.
    public init(parsing url: String) throws(HTTPClientError) {
        let bytes = Array(url.utf8)
        guard bytes.count <= Self.maxLength else { throw .invalidURL("longer than \(Self.maxLength) bytes") }
        guard let schemeEnd = Self.find(Array("://".utf8), in: bytes) else {
            throw .invalidURL("missing scheme (expected http:// or https://)")
        }
        let schemeText = String(decoding: bytes[..<schemeEnd].map(Self.lower), as: UTF8.self)
        guard let scheme = Scheme(rawValue: schemeText) else {
            guard Self.isSchemeSyntax(bytes[..<schemeEnd]) else { throw .invalidURL("malformed scheme") }
            throw .unsupportedScheme(schemeText)
        }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, ![0x2F, 0x3F, 0x23].contains(bytes[authorityEnd]) { authorityEnd += 1 }
        let authority = Array(bytes[authorityStart..<authorityEnd])
        guard !authority.contains(0x40) else {
            throw .invalidURL("credentials in the URL are not supported; send an Authorization header")
        }
        let (host, isIPv6, portBytes) = try Self.splitAuthority(authority)
        self.scheme = scheme
        self.host = host
        self.isIPv6Literal = isIPv6
        if let portBytes, let port = try Self.parsePort(portBytes) {
            self.port = port
        } else {
            self.port = scheme.defaultPort
        }
        self.target = try Self.parseTarget(bytes[authorityEnd...])
    }

    /// The `Host` field value: the port only when it is not the scheme's default (RFC 9110 §7.2).
    public var hostField: String {
        let name = isIPv6Literal ? "[\(host)]" : host
        return port == scheme.defaultPort ? name : "\(name):\(port)"
    }

    /// `scheme://host:port` and the target, for logs and errors.
    public var description: String {
        "\(scheme.rawValue)://\(isIPv6Literal ? "[\(host)]" : host):\(port)\(target)"
    }

    // MARK: - Pieces

    private static func splitAuthority(_ a: [UInt8]) throws(HTTPClientError) -> (String, Bool, ArraySlice<UInt8>?) {
        guard !a.isEmpty else { throw .invalidURL("missing host") }
        if a[0] == 0x5B {  // "[" IPv6 literal "]"
            guard let close = a.firstIndex(of: 0x5D) else { throw .invalidURL("unterminated IPv6 literal") }
            let literal = String(decoding: a[1..<close], as: UTF8.self)
            var address = in6_addr()
            // inet_pton also rejects zone ids ("%eth0"), which a URL cannot route anyway.
            guard inet_pton(AF_INET6, literal, &address) == 1 else {
                throw .invalidURL("invalid IPv6 literal [\(literal)]")
            }
            let rest = a[(close + 1)...]
            guard rest.isEmpty || rest.first == 0x3A else { throw .invalidURL("unexpected bytes after IPv6 literal") }
            return (literal.lowercased(), true, rest.isEmpty ? nil : rest.dropFirst())
        }
        let colon = a.firstIndex(of: 0x3A)
        let name = a[..<(colon ?? a.count)]
        // DNS names and IPv4 literals; percent-encoded or internationalised hosts must arrive as A-labels.
        guard !name.isEmpty, name.count <= 253, name.allSatisfy(isHostByte) else {
            throw .invalidURL("invalid host name")
        }
        return (String(decoding: name.map(lower), as: UTF8.self), false, colon.map { a[($0 + 1)...] })
    }

    /// Digits only (no sign, no spaces), 1…65535; an empty port means the default (RFC 3986 §3.2.3).
    private static func parsePort(_ digits: ArraySlice<UInt8>) throws(HTTPClientError) -> Int? {
        if digits.isEmpty { return nil }
        var value = 0
        for b in digits {
            guard b &- 0x30 < 10 else { throw .invalidURL("port must be digits") }
            value = value * 10 + Int(b &- 0x30)
            guard value <= 65535 else { throw .invalidURL("port out of range") }
        }
        guard value > 0 else { throw .invalidURL("port out of range") }
        return value
    }

    private static func parseTarget(_ rest: ArraySlice<UInt8>) throws(HTTPClientError) -> String {
        let withoutFragment = rest[..<(rest.firstIndex(of: 0x23) ?? rest.endIndex)]
        // Visible ASCII only: a space or CTL would break the request line, non-ASCII must be %-encoded.
        guard withoutFragment.allSatisfy({ $0 &- 0x21 < 0x5E }) else {
            throw .invalidURL("path and query must be visible ASCII (percent-encode the rest)")
        }
        if withoutFragment.first == 0x3F { return "/" + String(decoding: withoutFragment, as: UTF8.self) }
        return withoutFragment.isEmpty ? "/" : String(decoding: withoutFragment, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }

    /// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1).
    private static func isSchemeSyntax(_ s: ArraySlice<UInt8>) -> Bool {
        guard let first = s.first, isAlpha(first) else { return false }
        return s.allSatisfy { isAlpha($0) || $0 &- 0x30 < 10 || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    private static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// Letters, digits, "-", ".", "_" (seen in internal service names).
    private static func isHostByte(_ b: UInt8) -> Bool {
        isAlpha(b) || b &- 0x30 < 10 || b == 0x2D || b == 0x2E || b == 0x5F
    }

    private static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
}
