#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain-text reads and writes on a non-blocking socket, bounded by deadlines through `poll`.
enum SocketIO {
    enum Direction {
        case read
        case write
    }

    /// Waits until `fd` is ready; false when `deadline` passes first. Errors count as ready, so the
    /// following call reports them.
    static func wait(_ fd: Int32, for direction: Direction, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var entry = pollfd(fd: fd, events: Int16(direction == .read ? POLLIN : POLLOUT), revents: 0)
            let result = poll(&entry, 1, milliseconds)
            if result > 0 || (result < 0 && errno != EINTR) { return true }
        }
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
