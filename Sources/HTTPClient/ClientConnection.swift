import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which pooled connections may serve a request: same scheme, host and port.
struct PoolKey: Hashable, Sendable {
    let scheme: URLParts.Scheme
    let host: String
    let port: Int

    init(_ url: URLParts) {
        scheme = url.scheme
        host = url.host
        port = url.port
    }
}

/// One connection to one origin: the socket, the TLS stream for https, and received bytes not yet
/// consumed. Every read and write is bounded by the request's deadline through `poll`.
final class ClientConnection: @unchecked Sendable {
    // @unchecked: a connection is owned by one thread at a time — the request using it, or the pool
    // (under the pool's lock) between requests — so its mutable state is never shared.

    /// Bytes read per `fill`.
    private static let readSize = 64 * 1024

    let key: PoolKey
    private let fd: Int32
    private var tls: TLSStream?
    /// Received bytes; `buffer[start...]` has not been consumed yet.
    var buffer: [UInt8] = []
    var start = 0
    /// When the connection was last returned to the pool.
    var idleSince = ContinuousClock.now
    private var scratch: [UInt8]
    private var closed = false

    private init(key: PoolKey, fd: Int32) {
        self.key = key
        self.fd = fd
        self.scratch = [UInt8](repeating: 0, count: Self.readSize)
    }

    deinit { close() }

    /// Connects (and runs the TLS handshake for https, with SNI and verification) before `deadline`.
    static func open(
        to url: URLParts, tlsContext: TLSClientContext, until deadline: ContinuousClock.Instant
    ) throws(HTTPClientError) -> ClientConnection {
        let fd: Int32
        do {
            fd = try SocketConnector.connect(host: url.host, port: url.port, until: deadline)
        } catch {
            switch error {
            case .dnsFailure(let host, let reason, let temporary):
                throw .dnsFailure(host: host, reason: reason, temporary: temporary)
            case .connectFailed(let reason): throw .connectFailed(reason)
            case .timeout(let what): throw .timeout(what)
            }
        }
        let connection = ClientConnection(key: PoolKey(url), fd: fd)
        guard url.scheme == .https else { return connection }
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw .timeout("before the TLS handshake with \(url.host)") }
        do {
            connection.tls = try TLSStream(fd: fd, hostName: url.host, context: tlsContext, timeout: remaining)
        } catch {
            throw HTTPClientError.from(error, during: "in the TLS handshake with \(url.host)")
        }
        return connection
    }

    /// Whether a pooled connection still looks usable: nothing may be readable while it sat idle. A
    /// readable socket means the server closed it (EOF, reset) or sent bytes nobody asked for.
    var looksAlive: Bool {
        guard !closed else { return false }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 0
    }

    /// Writes all of `bytes`. `sentAny` becomes true once the kernel took at least one byte (always,
    /// for TLS, whose stream does not report partial progress), which decides whether a retry is safe.
    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant, sentAny: inout Bool) throws(HTTPClientError) {
        if let tls {
            sentAny = true
            try withTLSTimeout(tls, deadline, "sending the request") { () throws(CryptoError) in try tls.write(bytes) }
            return
        }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(fd, base + offset, raw.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if count >= 0 {
                offset += count
                sentAny = sentAny || count > 0
                continue
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .connectionClosed("sending the request: \(String(cString: strerror(errno)))")
            }
            guard SocketWait.until(deadline, fd: fd, for: .write) else { throw .timeout("sending the request") }
        }
    }

    /// Reads what is available (waiting until `deadline` for something) and appends it to `buffer`.
    /// Returns how many bytes arrived; 0 means the server closed the connection.
    func fill(until deadline: ContinuousClock.Instant) throws(HTTPClientError) -> Int {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= Self.readSize {
            buffer.removeFirst(start)
            start = 0
        }
        let count: Int
        if let tls {
            count = try withTLSTimeout(tls, deadline, "waiting for the response") { () throws(CryptoError) in
                try scratch.withUnsafeMutableBytes { raw in Result { () throws(CryptoError) in try tls.read(into: raw) }
                }
                .get()
            }
        } else {
            count = try readPlain(until: deadline)
        }
        buffer += scratch[..<count]
        return count
    }

    private func readPlain(until deadline: ContinuousClock.Instant) throws(HTTPClientError) -> Int {
        while true {
            let count = scratch.withUnsafeMutableBytes { raw in
                recv(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT))
            }
            if count >= 0 { return count }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .connectionClosed("reading the response: \(String(cString: strerror(errno)))")
            }
            guard SocketWait.until(deadline, fd: fd, for: .read) else { throw .timeout("waiting for the response") }
        }
    }

    /// Runs a TLS call with the stream's per-call timeout narrowed to what is left of the deadline.
    private func withTLSTimeout<T>(
        _ tls: TLSStream, _ deadline: ContinuousClock.Instant, _ operation: String,
        _ body: () throws(CryptoError) -> T
    ) throws(HTTPClientError) -> T {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw .timeout(operation) }
        tls.timeout = remaining
        do {
            return try body()
        } catch {
            throw HTTPClientError.from(error, during: operation)
        }
    }

    /// Sends close_notify (briefly) for TLS and closes the socket. Idempotent.
    func close() {
        guard !closed else { return }
        closed = true
        if let tls {
            tls.timeout = .milliseconds(100)  // the close_notify is a courtesy; never wait long for it
            tls.close()
        }
        tls = nil
        Glibc.close(fd)
    }
}
