/// How the body of a request is framed (RFC 9112 §6.3).
enum BodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
}

/// A parsed and validated request head. `fields.storage` holds the copied head octets; the ranges below
/// point into it, so the head costs one allocation however many fields it has.
struct RequestHead: Sendable {
    var method: HTTPMethod
    var minorVersion: UInt8
    var fields: HTTPFields
    var targetStart: Int
    var targetEnd: Int
    var pathStart: Int
    var pathEnd: Int
    /// Start of the query after "?", or -1.
    var queryStart: Int
    var keepAlive: Bool
    var expectContinue: Bool
    var framing: BodyFraming

    /// Path octets for routing.
    func withPath<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        fields.storage.withUnsafeBytes { b in
            body(UnsafeRawBufferPointer(rebasing: b[pathStart..<pathEnd]))
        }
    }
}
