internal import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking TLS client connection over an already connected socket.
///
/// `init` runs the handshake: SNI for DNS names, chain verification (system store or the configured CA
/// file) and host-name verification (DNS name or IP address, no partial wildcards), TLS 1.2 or later.
/// Every call — the handshake, each `read`, each `write` — must finish within `timeout`, measured as
/// a deadline over the whole call, so a peer that trickles bytes cannot hold a thread forever.
///
/// The stream does not own `fd`: `close()` sends close_notify, and closing the socket stays with the
/// caller (who opened it, and may have spoken plain text on it first, as with STARTTLS). The descriptor
/// may be blocking or not; its flags are left alone. A stream belongs to one thread at a time.
public final class TLSStream {
    private enum State {
        case open
        /// The peer sent close_notify: reads return 0, and our own close_notify may still be sent.
        case peerClosed
        /// A fatal error happened; OpenSSL forbids a shutdown after one.
        case broken
        case closed
    }

    private let ssl: OpaquePointer
    private let verifyPeer: Bool
    private var state = State.open
    /// The connected socket the stream reads and writes.
    public let fd: Int32
    /// The limit for each handshake, `read` or `write` call.
    public var timeout: Duration

    /// Connects with a context built from `configuration`. Prefer the `context:` initializer when
    /// opening many connections with the same settings.
    public convenience init(
        fd: Int32, hostName: String, configuration: TLSClientConfiguration = TLSClientConfiguration(),
        timeout: Duration
    ) throws(CryptoError) {
        try self.init(
            fd: fd, hostName: hostName, context: TLSClientContext(configuration: configuration), timeout: timeout)
    }

    /// Runs the TLS handshake on `fd` for `hostName` (a DNS name or an IP address literal, with or
    /// without brackets). Throws `tlsVerificationFailed` with OpenSSL's reason when the certificate
    /// is not trusted or does not name `hostName`, `tlsHandshakeFailed` or `tlsTimedOut` otherwise.
    public init(fd: Int32, hostName: String, context: TLSClientContext, timeout: Duration) throws(CryptoError) {
        guard fd >= 0 else { throw .invalidParameter("socket descriptor \(fd)") }
        guard timeout > .zero else { throw .invalidParameter("TLS timeout must be positive") }
        let host = Self.unbracketed(hostName)
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .tlsConfiguration("host name must be non-empty printable ASCII")
        }
        guard let ssl = SSL_new(context.pointer) else { throw OpenSSLCall.failure("SSL_new") }
        guard let bio = SocketBIO.make(fd: fd) else {
            SSL_free(ssl)
            throw OpenSSLCall.failure("BIO_new")
        }
        SSL_set_bio(ssl, bio, bio)  // one reference, owned by ssl from here on
        SSL_set_connect_state(ssl)
        self.ssl = ssl
        self.verifyPeer = context.configuration.verifyPeer
        self.fd = fd
        self.timeout = timeout
        // From here on deinit frees `ssl` if anything below throws.
        state = .broken
        try Self.setPeerName(ssl, host, verify: context.configuration.verifyPeer)
        try handshake()
        state = .open
    }

    deinit { SSL_free(ssl) }

    /// The negotiated protocol, e.g. "TLSv1.3".
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite, e.g. "TLS_AES_256_GCM_SHA384".
    public var cipherSuite: String {
        guard let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return "" }
        return String(cString: name)
    }

    /// Reads up to `buffer.count` bytes of plaintext; returns how many, or 0 once the peer has closed
    /// the TLS session cleanly (close_notify). A TCP close without close_notify is an error, since it
    /// may be an attacker truncating the stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) -> Int {
        switch state {
        case .open: break
        case .peerClosed: return 0
        case .broken, .closed: throw .tlsConnectionFailed("read on a closed stream")
        }
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let length = Int32(clamping: buffer.count)
        let deadline = ContinuousClock.now + timeout
        while true {
            ERR_clear_error()
            let result = SSL_read(ssl, base, length)
            if result > 0 { return Int(result) }
            let code = SSL_get_error(ssl, result)
            let savedErrno = errno
            if code == SSL_ERROR_ZERO_RETURN {
                state = .peerClosed
                return 0
            }
            try waitForSocket(code, until: deadline, operation: "read", savedErrno: savedErrno)
        }
    }

    /// Up to `maxLength` bytes of plaintext; empty once the peer has closed cleanly.
    public func read(maxLength: Int = 16_384) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(maxLength, 1))
        // Array's withUnsafe… closures are not typed-throws yet, so the error travels in a Result.
        let result = bytes.withUnsafeMutableBytes { raw in Result { () throws(CryptoError) in try read(into: raw) } }
        let count = try result.get()
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Writes all of `bytes`, or throws.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        guard state == .open || state == .peerClosed else { throw .tlsConnectionFailed("write on a closed stream") }
        guard let base = bytes.baseAddress else { return }
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            // After WANT_READ/WANT_WRITE, OpenSSL requires the retry to pass the same pointer and length.
            let length = Int32(clamping: bytes.count - offset)
            ERR_clear_error()
            let result = SSL_write(ssl, base + offset, length)
            if result > 0 {
                offset += Int(result)
                continue
            }
            let code = SSL_get_error(ssl, result)
            try waitForSocket(code, until: deadline, operation: "write", savedErrno: errno)
        }
    }

    /// Writes all of `bytes`, or throws.
    public func write(_ bytes: [UInt8]) throws(CryptoError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(CryptoError) in try write(raw) } }.get()
    }

    /// Sends close_notify (waiting at most `timeout` for the socket to take it) and ends the stream.
    ///
    /// The peer's close_notify is not awaited: the caller closes the socket next, which RFC 8446 §6.1
    /// permits. Idempotent; after a failed read or write it only marks the stream closed.
    public func close() {
        defer { state = .closed }
        guard state == .open || state == .peerClosed else { return }
        let deadline = ContinuousClock.now + timeout
        while true {
            ERR_clear_error()
            let result = SSL_shutdown(ssl)
            guard result < 0, SSL_get_error(ssl, result) == SSL_ERROR_WANT_WRITE,
                SocketWait.until(deadline, fd: fd, for: .write)
            else { break }
        }
        ERR_clear_error()
    }

    // MARK: - Internals

    private func handshake() throws(CryptoError) {
        let deadline = ContinuousClock.now + timeout
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { return }
            let code = SSL_get_error(ssl, result)
            let savedErrno = errno
            // OpenSSL records a verify result even with verification off, and before the handshake
            // ends; it only explains a failed handshake when verification was asked for.
            let isFatal = code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE
            if isFatal && verifyPeer {
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    state = .broken
                    ERR_clear_error()
                    throw .tlsVerificationFailed(String(cString: X509_verify_cert_error_string(verify)))
                }
            }
            do {
                try waitForSocket(code, until: deadline, operation: "handshake", savedErrno: savedErrno)
            } catch .tlsConnectionFailed(let reason) {
                throw .tlsHandshakeFailed(reason)
            }
        }
    }

    /// Waits for the socket after WANT_READ/WANT_WRITE; any other `code` is fatal and thrown.
    private func waitForSocket(
        _ code: Int32, until deadline: ContinuousClock.Instant, operation: String, savedErrno: Int32
    )
        throws(CryptoError)
    {
        let direction: SocketWait.Direction
        switch code {
        case SSL_ERROR_WANT_READ: direction = .read
        case SSL_ERROR_WANT_WRITE: direction = .write
        default:
            state = .broken
            throw .tlsConnectionFailed(Self.reason(code, savedErrno: savedErrno))
        }
        guard SocketWait.until(deadline, fd: fd, for: direction) else {
            state = .broken
            throw .tlsTimedOut(operation)
        }
    }

    /// A readable reason for a fatal SSL_get_error `code`, draining OpenSSL's error queue.
    private static func reason(_ code: Int32, savedErrno: Int32) -> String {
        let queued = ERR_get_error()
        ERR_clear_error()
        if queued != 0, let text = ERR_reason_error_string(queued) {
            return String(cString: text)
        }
        if code == SSL_ERROR_SYSCALL {
            return savedErrno == 0 ? "connection closed by peer" : String(cString: strerror(savedErrno))
        }
        return "SSL error \(code)"
    }

    /// Sets SNI and the name the certificate must carry: a DNS name, or an IP address (no SNI then,
    /// RFC 6066 §3 forbids literals there).
    private static func setPeerName(_ ssl: OpaquePointer, _ host: String, verify: Bool) throws(CryptoError) {
        let isAddress = isIPAddress(host)
        if !isAddress {
            // SSL_set_tlsext_host_name is a macro over SSL_ctrl; OpenSSL copies the string.
            let status = host.withCString {
                SSL_ctrl(
                    ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                    UnsafeMutableRawPointer(mutating: $0))
            }
            guard status == 1 else { throw .tlsConfiguration("invalid server name \(host)") }
        }
        guard verify else { return }
        if isAddress {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw .tlsConfiguration("invalid IP address \(host)")
            }
        } else {
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard SSL_set1_host(ssl, host) == 1 else { throw .tlsConfiguration("invalid host name \(host)") }
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, host, &storage) == 1 || inet_pton(AF_INET6, host, &storage) == 1
    }

    private static func unbracketed(_ host: String) -> String {
        guard host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 else { return host }
        return String(host.dropFirst().dropLast())
    }
}
