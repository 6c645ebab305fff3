#if canImport(Glibc)
    import Glibc
#endif

/// Why a raw client call failed.
enum ClientError: Error, Equatable, CustomStringConvertible {
    case connect(Int32)
    case send(Int32)
    case receive(Int32)
    /// No byte arrived within the read timeout.
    case timeout(String)
    /// The server closed (EOF or reset) before the response was complete.
    case closed(String)
    /// The response violates HTTP/1.1 framing.
    case malformed(String)

    var description: String {
        switch self {
        case .connect(let e): "connect: \(String(cString: strerror(e)))"
        case .send(let e): "send: \(String(cString: strerror(e)))"
        case .receive(let e): "recv: \(String(cString: strerror(e)))"
        case .timeout(let what): "timed out waiting for \(what)"
        case .closed(let what): "connection closed while waiting for \(what)"
        case .malformed(let what): "malformed response: \(what)"
        }
    }
}

/// What a client sees after the last expected response.
enum CloseState: Equatable {
    /// EOF or ECONNRESET.
    case closed
    /// Still open when the wait ended.
    case open
    /// The server sent bytes nobody asked for.
    case unexpectedData([UInt8])
}

/// A blocking IPv4 client for one connection to 127.0.0.1, with a receive timeout (SO_RCVTIMEO),
/// that sends exact bytes and reads responses with strict HTTP/1.1 framing. One thread at a time.
final class RawClient {
    let fd: Int32
    /// Received but not yet consumed bytes, from `start`.
    private var buffer: [UInt8] = []
    private var start = 0
    /// The server's side ended (EOF or reset) — nothing more will arrive.
    private(set) var peerClosed = false
    private(set) var sawReset = false

    /// - Parameter source: the local address to connect from (any of 127.0.0.0/8 works on Linux), to
    ///   look like a client other than the proxy in front of the server.
    init(port: Int, timeout: Duration = .seconds(5), source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError.connect(errno) }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound != 0 {
                let e = errno
                close()
                throw ClientError.connect(e)
            }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let e = errno
            close()  // deinit runs too once every property is set; close() is idempotent
            throw ClientError.connect(e)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        setTimeout(timeout)
    }

    private var isOpen = true

    deinit { close() }

    /// Closes our socket (idempotent); the server sees EOF.
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(fd)
    }

    func setTimeout(_ timeout: Duration) {
        let (s, a) = timeout.components
        var tv = timeval(tv_sec: Int(s), tv_usec: Int(a / 1_000_000_000_000))
        if tv.tv_sec == 0, tv.tv_usec == 0 { tv.tv_usec = 1000 }  // zero would mean "block forever"
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    // MARK: Sending

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { b in
                Glibc.send(fd, b.baseAddress! + sent, b.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                sent += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                throw ClientError.send(errno)
            }
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends `bytes` in pieces of `size` bytes with a pause between them (split reads on the server).
    func sendSlowly(_ bytes: [UInt8], pieceSize: Int = 1, pause: Duration = .microseconds(200)) throws {
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + pieceSize)
            try send(Array(bytes[i..<end]))
            i = end
            if i < bytes.count { sleepFor(pause) }
        }
    }

    func sendSlowly(_ text: String, pieceSize: Int = 1, pause: Duration = .microseconds(200)) throws {
        try sendSlowly(Array(text.utf8), pieceSize: pieceSize, pause: pause)
    }

    /// Sends each piece with its own `send` call, pausing in between.
    func send(pieces: [[UInt8]], pause: Duration = .milliseconds(20)) throws {
        for (k, piece) in pieces.enumerated() {
            try send(piece)
            if k < pieces.count - 1 { sleepFor(pause) }
        }
    }

    /// Half-closes our side (the server sees EOF after what was sent).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    // MARK: Receiving

    /// One `recv` into the buffer; false at EOF or reset.
    private func fill(_ what: @autoclosure () -> String) throws -> Bool {
        if peerClosed { return false }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return true
            }
            if n == 0 {
                peerClosed = true
                return false
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw ClientError.timeout(what())
            case ECONNRESET:
                peerClosed = true
                sawReset = true
                return false
            default: throw ClientError.receive(errno)
            }
        }
    }

    private var available: Int { buffer.count - start }

    /// Bytes received and not yet consumed by a response read.
    var unreadBytes: [UInt8] { Array(buffer[start...]) }

    /// A line ending in CRLF, without it. A bare LF is a framing error.
    func readLine(_ what: String) throws -> [UInt8] {
        var scanned = start
        while true {
            while scanned < buffer.count {
                if buffer[scanned] == 0x0A {
                    guard scanned > start, buffer[scanned - 1] == 0x0D else {
                        throw ClientError.malformed("bare LF in \(what)")
                    }
                    let line = Array(buffer[start..<(scanned - 1)])
                    start = scanned + 1
                    return line
                }
                scanned += 1
            }
            guard try fill(what) else { throw ClientError.closed(what) }
        }
    }

    func readExactly(_ count: Int, _ what: String) throws -> [UInt8] {
        while available < count {
            guard try fill(what) else { throw ClientError.closed(what) }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Everything until EOF (a body delimited by the close).
    func readToEnd(_ what: String) throws -> [UInt8] {
        while try fill(what) {}
        let bytes = Array(buffer[start...])
        start = buffer.count
        return bytes
    }

    /// The next response, interim (1xx) ones included. `head`: the request was HEAD (no body).
    func readResponse(head: Bool = false) throws -> RawResponse {
        if start > 0 {  // drop consumed bytes between responses, never in the middle of a scan
            buffer.removeFirst(start)
            start = 0
        }
        return try ResponseReader.read(from: self, requestWasHead: head)
    }

    /// The next final response; interim responses before it are returned alongside.
    func readFinalResponse(head: Bool = false) throws -> (interim: [RawResponse], final: RawResponse) {
        var interim: [RawResponse] = []
        while true {
            let r = try readResponse(head: head)
            if r.status >= 200 { return (interim, r) }
            interim.append(r)
        }
    }

    /// `count` final responses, in order.
    func readResponses(_ count: Int, head: Bool = false) throws -> [RawResponse] {
        try (0..<count).map { _ in try readFinalResponse(head: head).final }
    }

    /// Final responses until the server closes; `closed` is false if it stayed open past the timeout.
    func readAllUntilClose() -> (responses: [RawResponse], closed: Bool, error: ClientError?) {
        var responses: [RawResponse] = []
        while true {
            if available == 0 {
                do {
                    if try !fill("next response") { return (responses, true, nil) }
                } catch let e as ClientError {
                    return (responses, false, e)
                } catch {
                    return (responses, false, nil)
                }
            }
            do {
                responses.append(try readFinalResponse().final)
            } catch let e as ClientError {
                if case .timeout = e { return (responses, false, e) }
                return (responses, peerClosed, e)
            } catch {
                return (responses, peerClosed, nil)
            }
        }
    }

    /// Waits until the server closes the connection, at most `timeout`.
    func waitForClose(timeout: Duration = .seconds(3)) -> CloseState {
        if available > 0 { return .unexpectedData(unreadBytes) }
        setTimeout(timeout)
        defer { setTimeout(.seconds(5)) }
        do {
            if try fill("close") { return .unexpectedData(unreadBytes) }
            return .closed
        } catch {
            return .open
        }
    }

    /// True when nothing arrives and the connection stays open for `duration`.
    func staysQuiet(for duration: Duration) -> Bool { waitForClose(timeout: duration) == .open }
}

func sleepFor(_ d: Duration) {
    let (s, a) = d.components
    var ts = timespec(tv_sec: Int(s), tv_nsec: Int(a / 1_000_000_000))
    var rest = timespec()
    while nanosleep(&ts, &rest) != 0, errno == EINTR { ts = rest }
}
