#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens a TCP connection to a host name or address, IPv4 or IPv6, within a deadline.
///
/// Addresses from `getaddrinfo` are tried in its order (RFC 6724 preference) until one connects.
/// `getaddrinfo` itself cannot be interrupted, so a hanging resolver can outlast the deadline;
/// the system resolver's own timeouts bound it.
enum SocketConnector {
    /// A connected, non-blocking, close-on-exec socket. Throws `connectionFailed` or `timedOut`.
    static func connect(host: String, port: Int, timeout: Duration) throws(MailError) -> Int32 {
        let deadline = ContinuousClock.now + timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw .connectionFailed("cannot resolve \(host): \(reason)")
        }
        defer { freeaddrinfo(first) }

        var lastError = MailError.connectionFailed("no address for \(host)")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            do {
                return try attempt(current.pointee, host: host, port: port, deadline: deadline)
            } catch {
                lastError = error
                if case .timedOut = error { break }
            }
        }
        throw lastError
    }

    private static func attempt(
        _ info: addrinfo, host: String, port: Int, deadline: ContinuousClock.Instant
    )
        throws(MailError) -> Int32
    {
        let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
        guard fd >= 0 else { throw .connectionFailed("socket: \(String(cString: strerror(errno)))") }
        var keep = false
        defer { if !keep { close(fd) } }
        // Non-blocking so the connect can be bounded by poll; reads and writes poll as well.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        // Commands are small and lock-step: do not let Nagle hold one back waiting for an ACK.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS || errno == EINTR else {
                throw .connectionFailed("connect to \(host):\(port): \(String(cString: strerror(errno)))")
            }
            guard SocketIO.wait(fd, for: .write, until: deadline) else {
                throw .timedOut("connecting to \(host):\(port)")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
                throw .connectionFailed("connect to \(host):\(port): \(String(cString: strerror(error)))")
            }
        }
        keep = true
        return fd
    }
}
