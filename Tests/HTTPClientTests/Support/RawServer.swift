import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny blocking TCP server on 127.0.0.1 that writes whatever the test tells it to: canned, broken or
/// slow responses no real server would send. Each accepted connection runs `handler` on its own thread
/// with the connection's index (0, 1, …); the socket is closed when the handler returns.
final class RawServer: Sendable {
    let port: Int
    private let listener: Int32
    private let counter = AcceptCounter()

    init(_ handler: @escaping @Sendable (RawPeer, Int) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound, listen(fd, 16) == 0 else { throw TestFailure("cannot listen on 127.0.0.1") }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let counter = self.counter
        Thread.detachNewThread { [fd] in
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }  // the listener was shut down
                let index = counter.next()
                Thread.detachNewThread {
                    let peer = RawPeer(fd: connection)
                    handler(peer, index)
                    peer.close()
                }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the accept thread, which then exits
        close(listener)
    }

    /// Connections accepted so far.
    var accepted: Int { counter.value.withLock { $0 } }

    var url: String { "http://127.0.0.1:\(port)" }
}

/// Connections accepted so far; bumped by the accept thread, read by the test.
final class AcceptCounter: Sendable {
    let value = Mutex(0)

    /// The index of the connection just accepted.
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}

/// The server side of one raw connection: blocking reads (bounded by a receive timeout so a broken test
/// cannot hang) and writes.
final class RawPeer: @unchecked Sendable {
    // @unchecked: used only by the one thread running its handler.
    let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next request's head and Content-Length body, as text; nil when the client closed (or reset)
    /// the connection first.
    func readRequest() -> String? {
        while true {
            if let end = find(Array("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[..<(end + 4)], as: UTF8.self)
                let length = Self.contentLength(head)
                while buffer.count < end + 4 + length {
                    guard receive() else { return nil }
                }
                let request = String(decoding: buffer[..<(end + 4 + length)], as: UTF8.self)
                buffer.removeFirst(end + 4 + length)
                return request
            }
            guard receive() else { return nil }
        }
    }

    /// Waits until the client closes the connection (or the receive timeout passes); true on a close.
    func waitForClose() -> Bool {
        while true {
            var byte: UInt8 = 0
            let count = recv(fd, &byte, 1, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { return }
            offset += count
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    private func receive() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        return (0...(buffer.count - needle.count)).first { buffer[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            return Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
