import Crypto

/// Why an outbound request failed.
///
/// Messages name the host and what was happening, never header values or bodies, so an error is safe
/// to log. `isTransient` tells a caller (or a job's retry policy) whether trying again later may help.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be parsed, or has parts this client refuses (credentials, a bad port…).
    case invalidURL(String)
    /// A scheme other than `http` or `https`.
    case unsupportedScheme(String)
    /// The request cannot be sent as given (an invalid header name or value).
    case invalidRequest(String)
    /// `getaddrinfo` failed; `temporary` is true for EAI_AGAIN (the resolver may answer later).
    case dnsFailure(host: String, reason: String, temporary: Bool)
    /// No address of the host accepted a TCP connection (refused, unreachable).
    case connectFailed(String)
    /// The connect timeout or the request's deadline passed; `operation` says during what.
    case timeout(String)
    /// The TLS handshake or certificate verification failed (OpenSSL's reason inside).
    case tls(CryptoError)
    /// The server's bytes are not a valid HTTP/1.1 response (RFC 9112); the connection is closed.
    case malformedResponse(String)
    /// The response body is larger than `HTTPClientConfiguration.maxResponseBodyBytes`.
    case responseTooLarge(limit: Int)
    /// The connection was closed or reset before the response was complete.
    case connectionClosed(String)
    /// The client was closed with `close()`; it sends no more requests.
    case clientClosed

    /// Whether the same request may succeed later: timeouts, refused or reset connections and temporary
    /// DNS failures are; a bad URL, a certificate that does not verify or a malformed response are not.
    public var isTransient: Bool {
        switch self {
        case .timeout, .connectFailed, .connectionClosed: true
        case .dnsFailure(_, _, let temporary): temporary
        case .tls(let error):
            switch error {
            case .tlsTimedOut, .tlsConnectionFailed: true
            default: false
            }
        case .invalidURL, .unsupportedScheme, .invalidRequest, .malformedResponse, .responseTooLarge, .clientClosed:
            false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid URL: \(reason)"
        case .unsupportedScheme(let scheme): "unsupported URL scheme \"\(scheme)\" (only http and https)"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .dnsFailure(let host, let reason, _): "cannot resolve \(host): \(reason)"
        case .connectFailed(let reason): "connect failed: \(reason)"
        case .timeout(let operation): "timed out \(operation)"
        case .tls(let error): error.description
        case .malformedResponse(let reason): "malformed response: \(reason)"
        case .responseTooLarge(let limit): "response body larger than \(limit) bytes"
        case .connectionClosed(let reason): "connection closed: \(reason)"
        case .clientClosed: "the HTTP client is closed"
        }
    }

    /// TLS failures in the client's terms: timeouts and broken connections join their plain-text kin,
    /// so callers match `.timeout`/`.connectionClosed` whatever the scheme.
    static func from(_ error: CryptoError, during operation: String) -> HTTPClientError {
        switch error {
        case .tlsTimedOut: .timeout(operation)
        case .tlsConnectionFailed(let reason): .connectionClosed("\(operation): \(reason)")
        default: .tls(error)
        }
    }
}
