import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One SMTP connection: a socket, the TLS stream once there is one, and a line reader for replies.
///
/// Every reply and every write is bounded by `timeout`; the socket is closed by `close()`.
final class SMTPConnection {
    /// RFC 5321 §4.5.3.1.5 allows reply lines of 512 octets; this leaves room for sloppy servers.
    static let maximumLineLength = 4096

    private let fd: Int32
    private var tls: TLSStream?
    private var buffer: [UInt8] = []
    private var closed = false
    let timeout: Duration

    private init(fd: Int32, timeout: Duration) {
        self.fd = fd
        self.timeout = timeout
    }

    deinit { close() }

    /// Connects to `host:port`; with `implicitTLS` the TLS handshake runs before anything else.
    static func open(
        host: String, port: Int, connectTimeout: Duration, timeout: Duration, implicitTLS context: TLSClientContext?
    ) throws(MailError) -> SMTPConnection {
        let fd: Int32
        do {
            fd = try SocketConnector.connect(host: host, port: port, until: ContinuousClock.now + connectTimeout)
        } catch {
            switch error {
            case .dnsFailure(let host, let reason, _): throw .connectionFailed("cannot resolve \(host): \(reason)")
            case .connectFailed(let reason): throw .connectionFailed("connect to \(reason)")
            case .timeout(let what): throw .timedOut(what)
            }
        }
        let connection = SMTPConnection(fd: fd, timeout: timeout)
        if let context { try connection.startTLS(hostName: host, context: context) }
        return connection
    }

    /// Whether the conversation is encrypted from here on.
    var isEncrypted: Bool { tls != nil }

    /// Starts TLS on the socket (after a 220 to STARTTLS, or at once for SMTPS).
    func startTLS(hostName: String, context: TLSClientContext) throws(MailError) {
        // Bytes that arrived after the 220 were sent before the handshake, in clear, by whoever sits on
        // the path; acting on them would let them inject replies into the encrypted session (CVE-2011-0411).
        guard buffer.isEmpty else { throw .protocolViolation("server sent data after its STARTTLS reply") }
        do {
            tls = try TLSStream(fd: fd, hostName: hostName, context: context, timeout: timeout)
        } catch {
            throw Self.mailError(error)
        }
    }

    /// Sends one command line; CRLF is appended. Callers only pass validated text (no CR/LF).
    func send(_ command: String) throws(MailError) {
        try write(Array((command + "\r\n").utf8))
    }

    func write(_ bytes: [UInt8]) throws(MailError) {
        let deadline = ContinuousClock.now + timeout
        if let tls {
            do {
                try tls.write(bytes)
            } catch {
                throw Self.mailError(error)
            }
            return
        }
        try bytes.withUnsafeBytes { raw in
            Result { () throws(MailError) in try SocketIO.write(fd, raw, until: deadline) }
        }.get()
    }

    /// The next complete reply, however many lines it has.
    func readReply() throws(MailError) -> SMTPReply {
        let deadline = ContinuousClock.now + timeout
        var parser = SMTPReplyParser()
        while true {
            let line = try readLine(until: deadline)
            if let reply = try parser.add(line) { return reply }
        }
    }

    /// Closes TLS (close_notify) and the socket. Idempotent.
    func close() {
        guard !closed else { return }
        closed = true
        tls?.close()
        tls = nil
        Glibc.close(fd)
    }

    // MARK: - Reading

    private func readLine(until deadline: ContinuousClock.Instant) throws(MailError) -> [UInt8] {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == 0x0D { line.removeLast() }  // CRLF, tolerating a bare LF
                return line
            }
            guard buffer.count < Self.maximumLineLength else {
                throw .protocolViolation("reply line longer than \(Self.maximumLineLength) bytes")
            }
            try fill(until: deadline)
        }
    }

    private func fill(until deadline: ContinuousClock.Instant) throws(MailError) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let result = chunk.withUnsafeMutableBytes { raw in
            Result { () throws(MailError) -> Int in try readSome(into: raw, until: deadline) }
        }
        let count = try result.get()
        guard count > 0 else { throw .connectionFailed("the server closed the connection") }
        buffer += chunk[..<count]
    }

    private func readSome(
        into raw: UnsafeMutableRawBufferPointer, until deadline: ContinuousClock.Instant
    )
        throws(MailError) -> Int
    {
        guard let tls else { return try SocketIO.read(fd, into: raw, until: deadline) }
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw .timedOut("waiting for the server's reply") }
        // The stream's timeout is per call; narrowing it to what is left keeps the reply's deadline.
        tls.timeout = remaining
        defer { tls.timeout = timeout }
        do {
            return try tls.read(into: raw)
        } catch {
            throw Self.mailError(error)
        }
    }

    /// TLS failures in Mail's terms: a certificate problem is permanent, the rest is transient.
    static func mailError(_ error: CryptoError) -> MailError {
        switch error {
        case .tlsVerificationFailed(let reason): .certificateRejected(reason)
        case .tlsTimedOut(let operation): .timedOut("TLS \(operation)")
        case .tlsHandshakeFailed(let reason): .tlsFailed(reason)
        case .tlsConfiguration(let reason): .invalidConfiguration(reason)
        case .tlsConnectionFailed(let reason): .connectionFailed(reason)
        default: .tlsFailed(error.description)
        }
    }
}
