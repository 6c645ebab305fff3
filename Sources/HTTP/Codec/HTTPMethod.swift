/// The request methods this server implements. A syntactically valid method outside this set is
/// answered 501 by the parser (RFC 9110 §9.1), so application code never sees an unknown method.
public enum HTTPMethod: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case get, head, post, put, patch, delete, options

    public var description: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        }
    }

    /// Recognises a method from its octets (case-sensitive, RFC 9110 §9.1).
    static func parse(_ p: UnsafeRawBufferPointer) -> HTTPMethod? {
        switch p.count {
        case 3:
            if p[0] == 0x47, p[1] == 0x45, p[2] == 0x54 { return .get }
            if p[0] == 0x50, p[1] == 0x55, p[2] == 0x54 { return .put }
        case 4:
            if p[0] == 0x50, p[1] == 0x4F, p[2] == 0x53, p[3] == 0x54 { return .post }
            if p[0] == 0x48, p[1] == 0x45, p[2] == 0x41, p[3] == 0x44 { return .head }
        case 5:
            if Self.equals(p, "PATCH") { return .patch }
        case 6:
            if Self.equals(p, "DELETE") { return .delete }
        case 7:
            if Self.equals(p, "OPTIONS") { return .options }
        default: break
        }
        return nil
    }

    private static func equals(_ p: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        s.utf8CodeUnitCount == p.count && memcmp(p.baseAddress!, s.utf8Start, p.count) == 0
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
