import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cryptographically random bytes from the kernel, fetched 4 KiB at a time.
///
/// Request ids are generated for almost every request; one `getrandom(2)` per id would put a syscall on
/// the hot path, so ids draw from a buffer refilled in bulk instead.
enum RandomBytes {
    private struct Pool {
        var buffer = [UInt64](repeating: 0, count: 512)
        var next = 512
    }

    // The pool is shared by every handler thread.
    private static let pool = Mutex(Pool())

    /// 64 random bits.
    static func next() -> UInt64 {
        pool.withLock { p in
            if p.next == p.buffer.count {
                p.buffer.withUnsafeMutableBytes { fill($0) }
                p.next = 0
            }
            defer { p.next += 1 }
            return p.buffer[p.next]
        }
    }

    /// Kept open for the life of the process (`getrandom(2)` is not visible to Swift on Glibc).
    private static let urandom: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    /// Fills `buffer` from the kernel's CSPRNG, falling back to the standard library's generator
    /// (same source, 8 bytes per call) if the device cannot be read.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var done = 0
        while urandom >= 0, done < buffer.count, let base = buffer.baseAddress {
            let n = read(urandom, base + done, buffer.count - done)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        if done < buffer.count {
            var g = SystemRandomNumberGenerator()
            for i in done..<buffer.count { buffer[i] = g.next() }
        }
    }
}
