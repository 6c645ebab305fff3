#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waiting for a socket with `poll`, bounded by a deadline rather than a per-call timeout, so a peer
/// that trickles one byte at a time cannot stretch an operation past its limit.
public enum SocketWait {
    public enum Direction: Sendable {
        case read
        case write
    }

    /// Waits until `fd` is ready for `direction`. Returns false when `deadline` passes first.
    ///
    /// Errors and hang-ups count as ready: the I/O call that follows reports them with a real errno.
    public static func until(_ deadline: ContinuousClock.Instant, fd: Int32, for direction: Direction) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            var entry = pollfd(fd: fd, events: Int16(direction == .read ? POLLIN : POLLOUT), revents: 0)
            let result = poll(&entry, 1, milliseconds(remaining))
            if result > 0 { return true }
            if result < 0 && errno != EINTR { return true }
        }
    }

    /// `duration` in whole milliseconds, rounded up so a sub-millisecond remainder does not spin.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64(Int32.max / 1000) else { return Int32.max }
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(max(millis, 0))
    }
}
