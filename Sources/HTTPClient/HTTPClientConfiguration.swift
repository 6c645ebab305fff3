import Crypto

/// Everything an `HTTPClient` can be told, with defaults fit for calling public APIs.
public struct HTTPClientConfiguration: Sendable {
    /// Longest wait for a TCP connection and its TLS handshake (also bounded by the request's deadline).
    public var connectTimeout: Duration = .seconds(10)
    /// Default whole-request deadline when `execute` is given none: connect, send, and read the whole
    /// response. A deadline, not a per-read timeout, so a server trickling bytes cannot hold a thread.
    public var timeout: Duration = .seconds(30)
    /// Largest body `execute` buffers; larger is `responseTooLarge` (streamed bodies are not limited,
    /// since nothing accumulates: the caller stops when it has had enough).
    public var maxResponseBodyBytes = 16 * 1024 * 1024
    /// Idle keep-alive connections kept per scheme, host and port; 0 disables reuse.
    public var maxIdleConnectionsPerHost = 8
    /// An idle connection older than this is closed instead of reused. Shorter than the usual server
    /// keep-alive (nginx 75 s) so we rarely pick a connection the server is about to close.
    public var idleTimeout: Duration = .seconds(30)
    /// Certificate verification for https: on by default against the system store; `caFile` for a
    /// private CA (and tests).
    public var tls = TLSClientConfiguration()
    /// Sent as `User-Agent` unless the request has one.
    public var userAgent = "travelsense/1.0"

    public init() {}
}
