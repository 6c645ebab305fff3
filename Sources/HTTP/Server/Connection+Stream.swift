import Dispatch
import Synchronization

/// Streamed response bodies. The producer runs on the server's stream queue, never on the handler
/// pool; `write` waits while more than `streamHighWater` bytes are unsent (backpressure) and throws
/// `ClientDisconnected` once the connection is gone.
final class ConnectionBodyWriter: BodyWriter, @unchecked Sendable {  // used by one producer thread at a time
    let connection: Connection
    let framing: ResponseFraming
    private(set) var written = 0

    init(connection: Connection, framing: ResponseFraming) {
        self.connection = connection
        self.framing = framing
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        if case .length(let n) = framing, written + bytes.count > n {
            throw ClientDisconnected()  // more than declared would corrupt the framing
        }
        try connection.writeStreamChunk(bytes, chunked: framing == .chunked)
        written += bytes.count
    }
}

extension Connection {
    func runStream(_ stream: BodyStream, framing: ResponseFraming) {
        let writer = ConnectionBodyWriter(connection: self, framing: framing)
        var ok = true
        do {
            try stream.produce(writer)
        } catch {
            ok = false
        }
        if case .length(let n) = framing, writer.written != n { ok = false }
        finishStream(ok: ok, framing: framing)
    }

    func writeStreamChunk(_ bytes: [UInt8], chunked: Bool) throws {
        let highWater = core.configuration.streamHighWater
        while true {
            var actions = OutputActions()
            let waiter = try output.withLock { o -> DispatchSemaphore? in
                if o.closed { throw ClientDisconnected() }
                if o.unsent > highWater {
                    let s = DispatchSemaphore(value: 0)
                    o.streamWaiter = s
                    return s
                }
                if chunked { ResponseSerializer.appendChunkHeader(bytes.count, to: &o.out) }
                o.out.append(contentsOf: bytes)
                if chunked {
                    o.out.append(ASCII.cr)
                    o.out.append(ASCII.lf)
                }
                flush(&o, &actions)
                return nil
            }
            perform(actions)
            guard let waiter else { return }
            let timeout = DispatchTime.now() + .nanoseconds(Int(core.configuration.writeTimeout.nanoseconds))
            if waiter.wait(timeout: timeout) == .timedOut {
                output.withLock { $0.streamWaiter = nil }
                throw ClientDisconnected()
            }
        }
    }

    /// Ends the body: the last chunk on success; on failure the connection is dropped, because once the
    /// head is out HTTP/1.1 has no other way to tell the client the body is incomplete.
    private func finishStream(ok: Bool, framing: ResponseFraming) {
        var actions = OutputActions()
        output.withLock { o in
            guard !o.closed else { return }
            guard ok else {
                o.closed = true
                actions.destroy = true
                return
            }
            if framing == .chunked { o.out.append(contentsOf: Self.lastChunk) }
            if framing == .untilClose { o.closeAfterFlush = true }
            o.streaming = false
            pump(&o, &actions)
        }
        perform(actions)
    }

    private static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
}
