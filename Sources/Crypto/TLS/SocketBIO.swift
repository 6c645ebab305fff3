internal import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An OpenSSL BIO over a socket descriptor that never blocks and never raises SIGPIPE.
///
/// OpenSSL's own socket BIO calls `write(2)`, which kills a process that has not ignored SIGPIPE when
/// the peer resets the connection, and blocks on a blocking descriptor. This one uses `send`/`recv`
/// with `MSG_DONTWAIT` (and `MSG_NOSIGNAL`), so the stream can enforce deadlines with `poll` without
/// changing the descriptor's flags, which stay the caller's business.
enum SocketBIO {
    /// The shared method table; `nil` only if OpenSSL cannot allocate it.
    private static let method = MethodTable()

    /// A new BIO reading and writing `fd` (not owned: freeing the BIO leaves the descriptor open).
    static func make(fd: Int32) -> OpaquePointer? {
        guard let table = method.pointer, let bio = BIO_new(table) else { return nil }
        // The descriptor rides in the data pointer, offset by one so descriptor 0 is not a NULL pointer.
        BIO_set_data(bio, UnsafeMutableRawPointer(bitPattern: Int(fd) + 1))
        BIO_set_init(bio, 1)
        return bio
    }

    fileprivate static func descriptor(_ bio: OpaquePointer) -> Int32 {
        Int32(truncatingIfNeeded: Int(bitPattern: BIO_get_data(bio)) - 1)
    }

    /// BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY; BIO_FLAGS_RWS is a compound macro Swift does not import.
    fileprivate static let retryFlags = BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY

    fileprivate static var sendFlags: Int32 {
        #if os(Linux)
            Int32(MSG_DONTWAIT | MSG_NOSIGNAL)
        #else
            Int32(MSG_DONTWAIT)
        #endif
    }

    /// Marks `bio` as "try again" when `result` failed only because the socket was not ready.
    fileprivate static func finish(_ bio: OpaquePointer, _ result: Int, retryFlag: Int32) -> Int32 {
        if result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
            BIO_set_flags(bio, retryFlag | BIO_FLAGS_SHOULD_RETRY)
        }
        return Int32(truncatingIfNeeded: result)
    }
}

/// The BIO_METHOD, created once per process.
private final class MethodTable: @unchecked Sendable {
    // @unchecked: the table is filled in init and only read afterwards, which OpenSSL allows from any thread.
    let pointer: OpaquePointer?

    init() {
        guard let table = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "travelsense socket") else {
            pointer = nil
            return
        }
        BIO_meth_set_write(table) { bio, data, length in
            guard let bio, let data, length > 0 else { return 0 }
            BIO_clear_flags(bio, SocketBIO.retryFlags)
            let sent = send(SocketBIO.descriptor(bio), data, Int(length), SocketBIO.sendFlags)
            return SocketBIO.finish(bio, sent, retryFlag: BIO_FLAGS_WRITE)
        }
        BIO_meth_set_read(table) { bio, data, length in
            guard let bio, let data, length > 0 else { return 0 }
            BIO_clear_flags(bio, SocketBIO.retryFlags)
            let received = recv(SocketBIO.descriptor(bio), data, Int(length), Int32(MSG_DONTWAIT))
            return SocketBIO.finish(bio, received, retryFlag: BIO_FLAGS_READ)
        }
        BIO_meth_set_ctrl(table) { _, command, _, _ in
            // libssl flushes after each flight; nothing is buffered here, so flushing always succeeds.
            command == BIO_CTRL_FLUSH ? 1 : 0
        }
        pointer = table
    }
}
