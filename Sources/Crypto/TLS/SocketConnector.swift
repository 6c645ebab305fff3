#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why `SocketConnector.connect` failed.
public enum SocketConnectError: Error, Sendable, Equatable {
    case dnsFailure(host: String, reason: String, temporary: Bool)
    case connectFailed(String)
    case timeout(String)
}

/// Opens a TCP connection to a host name or address literal, IPv4 or IPv6, within a deadline.
///
/// Addresses from `getaddrinfo` are tried in its order (RFC 6724 preference) until one connects, so a
/// name with an unreachable IPv6 address still reaches its IPv4 one. `getaddrinfo` itself cannot be
/// interrupted; the system resolver's own timeouts bound it.
public enum SocketConnector {
    /// A connected, non-blocking, close-on-exec socket with TCP_NODELAY (clients here send small
    /// requests or commands and wait for the answer: Nagle would only hold back their tails).
    public static func connect(
        host: String, port: Int, until deadline: ContinuousClock.Instant
    ) throws(SocketConnectError)
        -> Int32
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        // AI_ADDRCONFIG skips address families the machine has no route for; literals bypass it, since
        // glibc would otherwise refuse "::1" on a host whose only IPv6 address is loopback.
        hints.ai_flags = AI_NUMERICSERV | (isAddressLiteral(host) ? AI_NUMERICHOST : AI_ADDRCONFIG)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw .dnsFailure(host: host, reason: reason, temporary: status == EAI_AGAIN)
        }
        defer { freeaddrinfo(first) }

        var lastError = SocketConnectError.connectFailed("no address for \(host)")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            do {
                return try attempt(current.pointee, host: host, port: port, deadline: deadline)
            } catch {
                lastError = error
                if case .timeout = error { break }
            }
        }
        throw lastError
    }

    private static func attempt(
        _ info: addrinfo, host: String, port: Int, deadline: ContinuousClock.Instant
    )
        throws(SocketConnectError) -> Int32
    {
        let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
        guard fd >= 0 else { throw .connectFailed("socket: \(String(cString: strerror(errno)))") }
        var keep = false
        defer { if !keep { close(fd) } }
        // Non-blocking so that connect, reads and writes can all be bounded by poll and the deadline.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS || errno == EINTR else {
                throw .connectFailed("\(host):\(port): \(String(cString: strerror(errno)))")
            }
            guard SocketWait.until(deadline, fd: fd, for: .write) else {
                throw .timeout("connecting to \(host):\(port)")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
                throw .connectFailed("\(host):\(port): \(String(cString: strerror(error)))")
            }
        }
        keep = true
        return fd
    }

    private static func isAddressLiteral(_ host: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, host, &storage) == 1 || inet_pton(AF_INET6, host, &storage) == 1
    }
}
