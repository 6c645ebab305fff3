import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain-text reads and writes on a non-blocking socket, bounded by deadlines through `poll`.
enum SocketIO {
    /// Waits until `fd` is ready; false when `deadline` passes first (Crypto's `SocketWait`).
    static func wait(_ fd: Int32, for direction: SocketWait.Direction, until deadline: ContinuousClock.Instant) -> Bool
    {
        SocketWait.until(deadline, fd: fd, for: direction)
    }

    /// Some bytes into `buffer`: their count, or 0 when the peer closed the connection.
    static func read(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, until deadline: ContinuousClock.Instant
    )
        throws(MailError) -> Int
    {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if count >= 0 { return count }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .connectionFailed("read: \(String(cString: strerror(errno)))")
            }
            guard wait(fd, for: .read, until: deadline) else { throw .timedOut("waiting for the server's reply") }
        }
    }

    /// All of `bytes`, or throws. MSG_NOSIGNAL: a reset connection is an error, not a SIGPIPE.
    static func write(
        _ fd: Int32, _ bytes: UnsafeRawBufferPointer, until deadline: ContinuousClock.Instant
    )
        throws(MailError)
    {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = send(fd, base + offset, bytes.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            if count >= 0 {
                offset += count
                continue
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .connectionFailed("write: \(String(cString: strerror(errno)))")
            }
            guard wait(fd, for: .write, until: deadline) else { throw .timedOut("sending to the server") }
        }
    }
}
