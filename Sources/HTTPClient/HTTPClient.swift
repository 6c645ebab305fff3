import Crypto
import HTTP

/// A blocking HTTP/1.1 client with a keep-alive pool, for handlers and jobs that run on their own
/// threads (geocoding, weather, LLM providers).
///
/// ```swift
/// let client = try HTTPClient(configuration: HTTPClientConfiguration())
/// let response = try client.execute(HTTPClientRequest(url: "https://nominatim.example/search?q=Lyon"))
/// ```
///
/// Safe to share between threads: each request uses a connection of its own, taken from the pool or
/// opened for it and returned only when its response was read to the end and neither side said
/// `Connection: close`. A reused connection that turns out dead on the write or before the first
/// response byte is replaced once by a fresh one — only for idempotent methods, or when nothing was
/// sent — since the server may have acted on a request it never answered.
///
/// Deliberately left out: redirects (a 3xx is returned as is; following one is the caller's decision),
/// proxies, and content codings (no `Accept-Encoding` is sent, so bodies arrive as the server has them).
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let tlsContext: TLSClientContext
    private let pool: ConnectionPool

    /// Builds the TLS context once (reading `tls.caFile`); throws `.tls` when it cannot be read.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws(HTTPClientError) {
        self.configuration = configuration
        do {
            tlsContext = try TLSClientContext(configuration: configuration.tls)
        } catch {
            throw .tls(error)
        }
        pool = ConnectionPool(
            maxIdlePerHost: configuration.maxIdleConnectionsPerHost, idleTimeout: configuration.idleTimeout)
    }

    /// Sends `request` and reads the whole response within `timeout` (default `configuration.timeout`).
    public func execute(
        _ request: HTTPClientRequest, timeout: Duration? = nil
    ) throws(HTTPClientError)
        -> HTTPClientResponse
    {
        try execute(request, deadline: ContinuousClock.now + (timeout ?? configuration.timeout))
    }

    /// Sends `request` and reads the whole response before `deadline`. Non-2xx statuses are responses,
    /// not errors. A body over `maxResponseBodyBytes` throws `responseTooLarge` (from `Content-Length`
    /// before reading it, when the server sends one).
    public func execute(
        _ request: HTTPClientRequest, deadline: ContinuousClock.Instant
    ) throws(HTTPClientError)
        -> HTTPClientResponse
    {
        let limit = configuration.maxResponseBodyBytes
        var response = HTTPClientResponse(status: .ok)
        try run(
            request, deadline: deadline,
            onHead: { head, framing throws(HTTPClientError) in
                if case .length(let length) = framing {
                    guard length <= limit else { throw .responseTooLarge(limit: limit) }
                    response.body.reserveCapacity(length)
                }
                response.status = head.status
                response.headers = head.headers
                return true
            },
            onBody: { piece throws(HTTPClientError) in
                guard piece.count <= limit - response.body.count else { throw .responseTooLarge(limit: limit) }
                response.body += piece
                return true
            })
        return response
    }

    /// Sends `request` and hands the response over as it arrives, for server-sent events and other long
    /// bodies: `onResponseHead` once with the final status and fields (interim 1xx responses are skipped),
    /// then `onBodyChunk` with each piece of body as it is read (chunked framing already removed).
    ///
    /// Either callback stops the exchange by returning false or throwing (its error is rethrown); the
    /// connection is then closed rather than pooled, since the rest of the response is still on its way.
    /// The whole exchange must finish within `timeout` (default `configuration.timeout`): give a long
    /// stream a long one. Returns the response head.
    @discardableResult
    public func execute(
        _ request: HTTPClientRequest, timeout: Duration? = nil,
        onResponseHead: (HTTPClientResponseHead) throws -> Bool, onBodyChunk: ([UInt8]) throws -> Bool
    ) throws -> HTTPClientResponseHead {
        var callerError: (any Error)?
        var received: HTTPClientResponseHead?
        try run(
            request, deadline: ContinuousClock.now + (timeout ?? configuration.timeout),
            onHead: { head, _ throws(HTTPClientError) in
                received = head
                do { return try onResponseHead(head) } catch {
                    callerError = error
                    return false
                }
            },
            onBody: { piece throws(HTTPClientError) in
                do { return try onBodyChunk(piece) } catch {
                    callerError = error
                    return false
                }
            })
        if let callerError { throw callerError }
        guard let received else { throw HTTPClientError.malformedResponse("no response head") }
        return received
    }

    /// Closes idle connections; requests started afterwards throw `clientClosed`, and those in flight
    /// close their connections when they finish.
    public func close() { pool.closeAll() }

    /// How many idle keep-alive connections the pool holds (for metrics and tests).
    public var idleConnectionCount: Int { pool.idleCount }

    // MARK: - One request, with the retry-once rule

    private func run(
        _ request: HTTPClientRequest, deadline: ContinuousClock.Instant, onHead: HeadHandler, onBody: BodyHandler
    ) throws(HTTPClientError) {
        let bytes = try RequestSerializer.serialize(request, userAgent: configuration.userAgent)
        let key = PoolKey(request.url)
        var retried = false
        var connection = try pool.take(key)
        while true {
            let reused = connection != nil
            let current: ClientConnection
            if let connection { current = connection } else { current = try open(request.url, deadline: deadline) }
            do throws(ExchangeFailure) {
                let reusable = try current.exchange(
                    bytes, method: request.method, asksToClose: request.asksToClose, until: deadline, onHead: onHead,
                    onBody: onBody)
                if reusable { pool.put(current) } else { current.close() }
                return
            } catch {
                current.close()
                let safe = request.isIdempotent || !error.sentAny
                guard reused, !retried, error.diedBeforeResponse, safe else { throw error.error }
                retried = true
                connection = nil  // a fresh connection: the next pooled one may be just as stale
            }
        }
    }

    private func open(_ url: URLParts, deadline: ContinuousClock.Instant) throws(HTTPClientError) -> ClientConnection {
        let connectDeadline = min(deadline, ContinuousClock.now + configuration.connectTimeout)
        return try ClientConnection.open(to: url, tlsContext: tlsContext, until: connectDeadline)
    }
}
