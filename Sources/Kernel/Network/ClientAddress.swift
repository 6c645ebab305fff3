import HTTP

/// The client's address as the rest of the code should see it (rate limits, audit log, access log):
/// the peer, unless the peer is a trusted proxy (`TRUSTED_PROXIES`), in which case `X-Forwarded-For`
/// is read from the right, skipping trusted hops, and the first untrusted address is the client.
/// Reading from the right matters: the left part of the header is whatever the client sent.
public enum ClientAddressKey: RequestContextKey {
    public typealias Value = String
}

public struct ClientAddressMiddleware: Middleware {
    let trusted: [CIDR]

    public init(trusted: [CIDR]) {
        self.trusted = trusted
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        // No proxies trusted: the peer is the client, and `clientAddress` derives it only when asked,
        // so the common case costs every request nothing.
        guard !trusted.isEmpty else { return try next(request) }
        var request = request
        request.context[ClientAddressKey.self] = Self.resolve(
            peer: request.remoteAddress, forwardedFor: request.headers.values("X-Forwarded-For"),
            trusted: trusted)
        return try next(request)
    }

    static func resolve(peer: String, forwardedFor: [String], trusted: [CIDR]) -> String {
        guard let peerAddress = IPAddress(peer: peer) else { return peer }
        var client = peerAddress
        func isTrusted(_ a: IPAddress) -> Bool { trusted.contains { $0.contains(a) } }
        guard isTrusted(client) else { return client.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }
        for hop in hops.reversed() {
            // A malformed entry ends the trusted chain: what lies left of it cannot be trusted either.
            guard let address = IPAddress(hop) else { break }
            client = address
            if !isTrusted(address) { break }
        }
        return client.description
    }
}

extension Request {
    /// The client's IP address (see `ClientAddressMiddleware`); the peer's when the middleware did not run.
    public var clientAddress: String {
        context[ClientAddressKey.self] ?? IPAddress(peer: remoteAddress)?.description ?? remoteAddress
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
