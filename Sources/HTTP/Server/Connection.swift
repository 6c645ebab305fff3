import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One client connection, pinned to one serial I/O queue.
///
/// Two halves with two disciplines:
/// - the read half (parser, read source, deadlines) is touched only on `loop.queue`;
/// - the write half (`output`: the ordered response slots and unsent bytes) is behind a `Mutex`, because
///   handler threads write their response inline (no hop back to the I/O queue) when it is next in line.
/// The fd is closed only after both dispatch sources have been cancelled, and every write checks
/// `closed` under the lock first, so no thread can write to a recycled descriptor.
final class Connection: @unchecked Sendable {  // read half confined to loop.queue; write half in `output`
    let fd: Int32
    let remote: String
    let loop: IOLoop
    let core: ServerCore
    let output: Mutex<Output>
    /// Set once in `start()`, before any request exists; its state (`Output.writeState`) is under the lock.
    private(set) var writeSource: (any DispatchSourceWrite)?

    // Read half (loop.queue only).
    private var parser: RequestParser
    private var readSource: (any DispatchSourceRead)?
    private var readSuspended = false
    /// Bytes read but not yet parsed because the pipeline was full.
    private var pendingInput: [UInt8] = []
    private var current: (head: RequestHead, route: RouteMatch)?
    private var phase = RequestParser.Phase.idle
    private var phaseStart: UInt64
    /// After a request with `Connection: close`, a protocol error or EOF nothing more is parsed.
    private var readClosed = false
    /// Set once the response side is shut down: reads are drained and discarded until EOF or this time.
    private var lingerUntil: UInt64 = 0
    private var destroyed = false
    private var pendingCancels = 0

    init(fd: Int32, remote: String, loop: IOLoop, core: ServerCore) {
        self.fd = fd
        self.remote = remote
        self.loop = loop
        self.core = core
        self.parser = RequestParser(limits: core.configuration.parserLimits)
        self.phaseStart = Clock.now
        self.output = Mutex(Output())
    }

    /// Registers the read source; runs on loop.queue.
    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
        source.setEventHandler { [unowned self] in self.readable() }
        source.setCancelHandler { [self] in self.sourceCancelled() }
        readSource = source
        // The write source is created now but stays inactive until a write would block; creating it
        // here keeps its registration (and the fd's lifetime count) on this queue.
        let writer = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
        writer.setEventHandler { [unowned self] in self.writable() }
        writer.setCancelHandler { [self] in self.sourceCancelled() }
        writeSource = writer
        pendingCancels = 2
        source.activate()
    }

    // MARK: Reading

    private func readable() {
        let scratch = loop.scratch
        while !destroyed {
            let n = Glibc.read(fd, scratch.baseAddress, scratch.count)
            if n > 0 {
                if lingerUntil != 0 || readClosed { continue }  // discarding after the last response
                consume(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                if readSuspended || readClosed { return }
                if n < scratch.count { return }  // drained; the level-triggered source fires again if not
                continue
            }
            if n == 0 {
                if lingerUntil != 0 { destroy() } else { peerClosed() }
                return
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK: return
            case EINTR: continue
            default:
                destroy()
                return
            }
        }
    }

    private func consume(_ bytes: UnsafeRawBufferPointer) {
        if pendingInput.isEmpty {
            parse(bytes)
        } else {
            pendingInput.append(contentsOf: bytes)
            let buffered = pendingInput
            pendingInput = []
            buffered.withUnsafeBytes { parse($0) }
        }
    }

    private func parse(_ p: UnsafeRawBufferPointer) {
        var i = 0
        if phase == .idle { phaseStart = Clock.now }
        parsing: while !readClosed {
            if current == nil, parser.phase == .idle, pauseIfPipelineFull() {
                if i < p.count { pendingInput.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[i...])) }
                break
            }
            switch parser.parse(p, &i) {
            case .needMore:
                break parsing
            case .head(let head):
                let route = head.withPath { core.router.match(head.method, path: $0) }
                parser.setBodyLimit(route.bodyLimit)
                if head.expectContinue, !(Self.exceeds(head.framing, route.bodyLimit)) {
                    enqueue(.interim(ResponseSerializer.continueLine))
                }
                current = (head, route)
            case .message(let body):
                guard let (head, route) = current else { break parsing }
                current = nil
                dispatch(head, route, body)
                if !head.keepAlive {
                    readClosed = true
                }
            case .error(let error):
                protocolError(error)
            }
        }
        let now = parser.phase
        if now != phase {
            phase = now
            phaseStart = Clock.now
        }
    }

    private static func exceeds(_ framing: BodyFraming, _ limit: Int) -> Bool {
        if case .length(let n) = framing { return n > limit }
        return false
    }

    /// Answers a parser verdict (or a deadline) and stops reading: after a framing error the next
    /// byte's meaning is unknown, so the connection cannot be reused.
    private func protocolError(_ error: HTTPParseError) {
        readClosed = true
        current = nil
        core.events.protocolError?(error, remote)
        let problem = HTTPError(error.status, detail: error.detail).response()
        enqueue(.response(problem, isHead: false, keepAlive: false, http10: false))
    }

    private func dispatch(_ head: RequestHead, _ route: RouteMatch, _ body: [UInt8]) {
        let id = enqueue(
            .pending(isHead: head.method == .head, keepAlive: head.keepAlive, http10: head.minorVersion == 0))
        let remote = self.remote
        let accepted = core.pool.submit { [self] in
            var request = Request(head: head, body: body, remoteAddress: remote)
            request.route = route.template
            request.parameters = route.parameters
            let response: Response
            do {
                response = try route.handler(request)
            } catch {
                response = ServerCore.fallbackResponse(for: error, request: request)
            }
            if case .deferred(let deferred) = response.body {
                // Waits off the handler pool; the slot stays pending, so order and draining hold.
                core.streamThreads.run { [self] in complete(id, deferred.resolve(placeholder: response.headers)) }
            } else {
                complete(id, response)
            }
        }
        if !accepted {
            core.events.loadShed?()
            complete(id, core.overloadedResponse)
        }
    }

    /// Stops reading while `maxPipelined` responses are outstanding. The check and the `readPaused`
    /// flag change under one lock: a handler completing concurrently either frees room before the check
    /// or sees the flag and schedules `resumeReading` (which runs after us on this serial queue). With
    /// the check and the flag under separate locks, the last completion could slip in between, and the
    /// connection would never read again.
    private func pauseIfPipelineFull() -> Bool {
        let limit = core.configuration.maxPipelined
        let alreadySuspended = readSuspended
        let full = output.withLock { o -> Bool in
            guard o.inFlight >= limit else { return false }
            if !alreadySuspended { o.readPaused = true }
            return true
        }
        if full, !readSuspended, let readSource {
            readSuspended = true
            readSource.suspend()
        }
        return full
    }

    /// Called on loop.queue when the pipeline has room again.
    func resumeReading() {
        guard readSuspended, !destroyed, let readSource else { return }
        readSuspended = false
        readSource.resume()
        if !pendingInput.isEmpty {
            let buffered = pendingInput
            pendingInput = []
            buffered.withUnsafeBytes { parse($0) }
        }
    }

    private func peerClosed() {
        // The client will send nothing more; answer what it already sent, then close.
        readClosed = true
        if readSuspended == false, let readSource {
            readSuspended = true
            readSource.suspend()  // EOF stays readable; stop the source from spinning
        }
        let idle = output.withLock { o -> Bool in
            o.peerEOF = true
            return o.slots.isEmpty && o.unsent == 0 && !o.streaming
        }
        if idle { destroy() }
    }

    // MARK: Deadlines and shutdown (loop.queue)

    /// Applies the header, body, idle, write and linger deadlines; called by the loop's timer.
    func checkDeadlines(now: UInt64) {
        guard !destroyed else { return }
        if lingerUntil != 0 {
            if now >= lingerUntil { destroy() }
            return
        }
        let (busy, unsent, lastProgress) = output.withLock { ($0.slots.count > 0, $0.unsent > 0, $0.lastProgress) }
        let config = core.configuration
        // Handler threads stamp `lastProgress` concurrently, so it may be later than `now`: saturate.
        func since(_ t: UInt64) -> UInt64 { now > t ? now - t : 0 }
        if unsent, since(lastProgress) > config.writeTimeout.nanoseconds {
            destroy()
            return
        }
        if readClosed { return }
        switch phase {
        case .head where since(phaseStart) > config.headerTimeout.nanoseconds:
            protocolError(HTTPParseError(408, "request header not received within \(config.headerTimeout)"))
        case .body where since(phaseStart) > config.bodyTimeout.nanoseconds:
            protocolError(HTTPParseError(408, "request body not received within \(config.bodyTimeout)"))
        case .idle where !busy && !unsent:
            if since(max(phaseStart, lastProgress)) > config.idleTimeout.nanoseconds { destroy() }
        default: break
        }
    }

    /// Graceful shutdown. A request that has already arrived is answered (with `Connection: close`), so
    /// the socket is read before the connection is judged idle; an idle one gets a FIN through the
    /// lingering close rather than an abrupt close, which would reset a request racing with it.
    func drain() {
        guard !destroyed else { return }
        output.withLock { $0.draining = true }
        if lingerUntil == 0, !readClosed, !readSuspended { readable() }
        guard !destroyed else { return }
        let idle = output.withLock { $0.slots.isEmpty && $0.unsent == 0 && !$0.streaming }
        if idle, parser.phase == .idle, current == nil { linger() }
    }

    /// Starts the lingering close after the last response: our side is shut down, and reads are
    /// discarded until the client closes, so its unread data does not turn into a reset that destroys
    /// the response it has not read yet.
    func linger() {
        guard !destroyed, lingerUntil == 0 else { return }
        lingerUntil = Clock.now + 2_000_000_000
        shutdown(fd, Int32(SHUT_WR))
        if readSuspended, let readSource {
            readSuspended = false
            readSource.resume()
        }
    }

    /// Tears the connection down (idempotent): cancels both sources; the fd closes when both are gone.
    func destroy() {
        guard !destroyed else { return }
        destroyed = true
        let ws = writeSource
        output.withLock { o in
            o.closed = true
            o.slots.removeAll()
            o.streamWaiter?.signal()
            o.streamWaiter = nil
            // A suspended or inactive source never runs its cancel handler.
            switch o.writeState {
            case .inactive: ws?.activate()
            case .suspended: ws?.resume()
            case .armed: break
            }
            o.writeState = .armed
        }
        ws?.cancel()
        if let readSource {
            if readSuspended { readSource.resume() }
            readSuspended = false
            readSource.cancel()
        }
    }

    func sourceCancelled() {
        pendingCancels -= 1
        guard pendingCancels == 0 else { return }
        readSource = nil
        close(fd)
        loop.remove(self)
        core.connectionClosed()
    }
}

/// Monotonic nanoseconds.
enum Clock {
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
}
