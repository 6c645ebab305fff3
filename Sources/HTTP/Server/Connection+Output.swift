import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The write half of a connection, always accessed under `Connection.output`'s lock.
///
/// Responses leave in request order: each request gets a slot when it is dispatched; whoever fills the
/// first slot (usually the handler thread itself) serializes it into `out` and writes it inline. Only a
/// write that would block arms the write source.
struct Output {
    enum Slot {
        /// Bytes sent as they are, in order (`100 Continue`).
        case interim([UInt8])
        /// A request whose handler has not answered yet.
        case pending(isHead: Bool, keepAlive: Bool, http10: Bool)
        case response(Response, isHead: Bool, keepAlive: Bool, http10: Bool)
    }

    enum WriteSourceState { case inactive, armed, suspended }

    var slots: [Slot] = []
    /// The id of `slots[0]`; ids are consecutive.
    var firstID = 0
    var nextID = 0
    /// Requests whose response is not yet queued for writing (pipelining cap).
    var inFlight = 0
    var out: [UInt8] = []
    var sent = 0
    var writeState = WriteSourceState.inactive
    var closed = false
    /// A response said `Connection: close`: nothing after it is sent, and the connection ends.
    var closeAfterFlush = false
    /// The client half-closed: answer what it sent, then close.
    var peerEOF = false
    var draining = false
    /// A streamed body is being written; later responses wait.
    var streaming = false
    var readPaused = false
    var lastProgress = Clock.now
    var streamWaiter: DispatchSemaphore?

    var unsent: Int { out.count - sent }
}

/// What must happen outside the lock after a write-half change.
struct OutputActions {
    var resumeReading = false
    var linger = false
    var destroy = false
    var stream: (BodyStream, framing: ResponseFraming)?
}

extension Connection {
    /// Appends a slot in request order and returns its id.
    @discardableResult
    func enqueue(_ slot: Output.Slot) -> Int {
        var actions = OutputActions()
        let id = output.withLock { o -> Int in
            let id = o.nextID
            o.nextID += 1
            if o.closed || o.closeAfterFlush {
                o.firstID = o.nextID  // nothing more is sent on this connection
                return id
            }
            o.slots.append(slot)
            if case .interim = slot {} else { o.inFlight += 1 }
            pump(&o, &actions)
            return id
        }
        perform(actions)
        return id
    }

    /// A handler's answer for slot `id`; written now if it is next in line.
    func complete(_ id: Int, _ response: Response) {
        var actions = OutputActions()
        output.withLock { o in
            let index = id - o.firstID
            guard !o.closed, index >= 0, index < o.slots.count,
                case .pending(let isHead, let keepAlive, let http10) = o.slots[index]
            else { return }
            o.slots[index] = .response(response, isHead: isHead, keepAlive: keepAlive, http10: http10)
            pump(&o, &actions)
        }
        perform(actions)
    }

    /// Moves ready slots at the front into `out`, then writes.
    func pump(_ o: inout Output, _ actions: inout OutputActions) {
        while !o.streaming, !o.closeAfterFlush, let first = o.slots.first {
            switch first {
            case .pending:
                flush(&o, &actions)
                return
            case .interim(let bytes):
                o.out.append(contentsOf: bytes)
            case .response(let response, let isHead, let keepAliveRequested, let http10):
                let last = o.slots.count == 1
                var keepAlive = keepAliveRequested && !((o.draining || o.peerEOF) && last)
                var response = response
                if case .deferred = response.body {
                    // Resolved before a slot is filled (Connection.dispatch); reaching here is a bug.
                    response = HTTPError(.internalServerError).response()
                }
                let status = response.status
                switch response.body {
                case .bytes(let body):
                    let framing: ResponseFraming = status.allowsBody ? .length(body.count) : .none
                    ResponseSerializer.writeHead(
                        status, response.headers, framing: framing, keepAlive: keepAlive, http10: http10,
                        date: core.date.headerLine, into: &o.out)
                    if !isHead, status.allowsBody { o.out.append(contentsOf: body) }
                case .stream(let stream):
                    var framing = ResponseFraming.none
                    if status.allowsBody {
                        if let n = stream.contentLength {
                            framing = .length(n)
                        } else if http10 {
                            framing = .untilClose
                            keepAlive = false
                        } else {
                            framing = .chunked
                        }
                    }
                    ResponseSerializer.writeHead(
                        status, response.headers, framing: framing, keepAlive: keepAlive, http10: http10,
                        date: core.date.headerLine, into: &o.out)
                    if !isHead, status.allowsBody {
                        o.streaming = true
                        actions.stream = (stream, framing)
                    }
                case .deferred: break
                }
                o.inFlight -= 1
                if !keepAlive { o.closeAfterFlush = true }
            }
            o.slots.removeFirst()
            o.firstID += 1
        }
        if o.closeAfterFlush, !o.slots.isEmpty {
            // Responses queued after a `Connection: close` one are never sent.
            o.firstID += o.slots.count
            o.slots.removeAll()
        }
        if o.readPaused, o.inFlight < core.configuration.maxPipelined {
            o.readPaused = false
            actions.resumeReading = true
        }
        flush(&o, &actions)
    }

    /// Writes as much of `out` as the socket takes; arms the write source only when it would block.
    func flush(_ o: inout Output, _ actions: inout OutputActions) {
        guard !o.closed else { return }
        while o.sent < o.out.count {
            let n = o.out.withUnsafeBytes { b in
                send(fd, b.baseAddress! + o.sent, b.count - o.sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                o.sent += n
                o.lastProgress = Clock.now
                continue
            }
            let e = errno
            if n < 0, e == EINTR { continue }
            if n < 0, e == EAGAIN || e == EWOULDBLOCK {
                armWriteSource(&o)
                return
            }
            o.closed = true  // EPIPE, ECONNRESET: the client is gone
            actions.destroy = true
            return
        }
        // Keep a modest buffer for the next response; release big ones (10k idle connections must be cheap).
        if o.out.capacity > 64 * 1024 { o.out = [] } else { o.out.removeAll(keepingCapacity: true) }
        o.sent = 0
        if o.writeState == .armed {
            writeSource?.suspend()
            o.writeState = .suspended
        }
        if let waiter = o.streamWaiter {
            o.streamWaiter = nil
            waiter.signal()
        }
        if o.closeAfterFlush || o.peerEOF, !o.streaming, o.slots.isEmpty {
            actions.linger = true
        }
    }

    private func armWriteSource(_ o: inout Output) {
        switch o.writeState {
        case .armed: return
        case .inactive: writeSource?.activate()
        case .suspended: writeSource?.resume()
        }
        o.writeState = .armed
    }

    /// The write source's handler (loop.queue): the socket can take more.
    func writable() {
        var actions = OutputActions()
        output.withLock { o in flush(&o, &actions) }
        perform(actions)
    }

    func perform(_ actions: OutputActions) {
        if let (stream, framing) = actions.stream {
            core.streamThreads.run { [self] in runStream(stream, framing: framing) }
        }
        guard actions.resumeReading || actions.linger || actions.destroy else { return }
        loop.queue.async { [self] in
            if actions.destroy {
                destroy()
                return
            }
            if actions.resumeReading { resumeReading() }
            if actions.linger { linger() }
        }
    }
}
