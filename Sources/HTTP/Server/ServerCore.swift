import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shared state of a running server: router, handler pool, I/O loops, listener and counters.
final class ServerCore: @unchecked Sendable {  // lets are immutable; listener state is confined to acceptQueue
    let configuration: ServerConfiguration
    let events: ServerEvents
    let router: CompiledRouter
    let pool: HandlerPool
    let loops: [IOLoop]
    let date = HTTPDate()
    let openConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    /// Streamed bodies and deferred responses: work that blocks for long (see `ElasticThreads`).
    let streamThreads = ElasticThreads(name: "http.streams")
    let acceptQueue = DispatchQueue(label: "http.accept")
    let overloadedResponse: Response

    // acceptQueue only.
    private var listenSource: (any DispatchSourceRead)?
    private var listenFD: Int32 = -1
    private var nextLoop = 0
    private var dateTimer: (any DispatchSourceTimer)?

    init(configuration: ServerConfiguration, router: Router, events: ServerEvents) {
        self.configuration = configuration
        self.events = events
        self.router = router.compile()
        self.pool = HandlerPool(threads: configuration.handlerThreads, queueLimit: configuration.handlerQueueLimit)
        self.loops = (0..<max(1, configuration.ioQueues)).map { IOLoop(index: $0) }
        var headers = HTTPFields()
        headers.append(.retryAfter, "1")
        self.overloadedResponse = HTTPError(
            .serviceUnavailable, detail: "the server is overloaded; retry shortly", headers: headers
        ).response()
    }

    /// Binds and starts accepting; returns the bound port.
    func start() throws -> Int {
        raiseDescriptorLimit()
        let (fd, port) = try Socket.listen(
            host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
        source.setEventHandler { [unowned self] in self.acceptAll(fd) }
        source.setCancelHandler { close(fd) }
        let timer = DispatchSource.makeTimerSource(queue: acceptQueue)
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1), leeway: .milliseconds(10))
        timer.setEventHandler { [date] in date.refresh() }
        acceptQueue.sync {
            listenSource = source
            listenFD = fd
            dateTimer = timer
        }
        for loop in loops { loop.queue.async { loop.startTimer() } }
        timer.activate()
        source.activate()
        return port
    }

    private func acceptAll(_ listener: Int32) {
        while let result = Socket.accept(listener) {
            switch result {
            case .success(let (fd, address)):
                if openConnections.load(ordering: .relaxed) >= configuration.maxConnections
                    || draining.load(ordering: .relaxed)
                {
                    refusal(draining: draining.load(ordering: .relaxed)).withUnsafeBytes {
                        _ = send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                    }
                    close(fd)
                    events.connectionRefused?()
                    continue
                }
                openConnections.add(1, ordering: .relaxed)
                Socket.setNoDelay(fd)
                let loop = loops[nextLoop]
                nextLoop = (nextLoop + 1) % loops.count
                let connection = Connection(fd: fd, remote: Socket.describe(address), loop: loop, core: self)
                loop.queue.async { loop.add(connection) }
            case .failure(let failure):
                // Out of descriptors (EMFILE/ENFILE) leaves the connection in the backlog and the source
                // readable; pause instead of spinning.
                if failure.code == EMFILE || failure.code == ENFILE || failure.code == ENOBUFS || failure.code == ENOMEM
                {
                    listenSource?.suspend()
                    acceptQueue.asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
                        self?.listenSource?.resume()
                    }
                    return
                }
            // ECONNABORTED and friends concern one connection only.
            }
        }
    }

    /// The 503 for a connection refused at the cap or while draining; a rare path, so serialized afresh
    /// (with the current Date) rather than kept as fixed bytes.
    private func refusal(draining: Bool) -> [UInt8] {
        let detail = draining ? "the server is shutting down" : "too many connections; retry shortly"
        var headers = HTTPFields()
        headers.append(.retryAfter, "1")
        let response = HTTPError(.serviceUnavailable, detail: detail, headers: headers).response()
        guard case .bytes(let body) = response.body else { return [] }
        var out: [UInt8] = []
        ResponseSerializer.writeHead(
            response.status, response.headers, framing: .length(body.count), keepAlive: false, http10: false,
            date: date.headerLine, into: &out)
        out.append(contentsOf: body)
        return out
    }

    func connectionClosed() {
        openConnections.subtract(1, ordering: .relaxed)
    }

    /// Stops accepting, lets in-flight requests finish, closes idle connections, then ends handler threads.
    func shutdown() -> Bool {
        let deadline = Clock.now + configuration.gracePeriod.nanoseconds
        acceptQueue.sync {
            // Connections the kernel has already completed sit in the backlog; closing the listener would
            // reset them with their requests unread. Serve them (they drain like the rest), then close.
            if listenFD >= 0 { acceptAll(listenFD) }
            listenSource?.cancel()
            listenSource = nil
            listenFD = -1
        }
        draining.store(true, ordering: .relaxed)
        for loop in loops { loop.queue.async { loop.drainAll() } }
        while openConnections.load(ordering: .relaxed) > 0, Clock.now < deadline {
            usleep(10_000)
            // Connections that finish their last request close themselves; re-drain the ones that were
            // mid-request when shutdown began.
            for loop in loops { loop.queue.async { loop.drainAll() } }
        }
        let clean = openConnections.load(ordering: .relaxed) == 0
        if !clean {
            for loop in loops { loop.queue.async { loop.destroyAll() } }
            let hardDeadline = Clock.now + 1_000_000_000
            while openConnections.load(ordering: .relaxed) > 0, Clock.now < hardDeadline { usleep(10_000) }
        }
        for loop in loops { loop.queue.sync { loop.stopTimer() } }
        acceptQueue.sync {
            dateTimer?.cancel()
            dateTimer = nil
        }
        let remaining = deadline > Clock.now ? deadline - Clock.now : 0
        let poolDone = pool.shutdown(timeout: .nanoseconds(Int64(remaining)))
        return clean && poolDone
    }

    var stats: ServerStats {
        ServerStats(
            openConnections: openConnections.load(ordering: .relaxed), handlerQueueDepth: pool.queueDepth,
            busyHandlers: pool.busyThreads, isDraining: draining.load(ordering: .relaxed))
    }

    /// What a request gets when its handler chain threw past all middleware.
    static func fallbackResponse(for error: any Error, request: Request) -> Response {
        if let error = error as? HTTPError {
            return error.response(instance: request.path, requestID: request.requestID)
        }
        return HTTPError(.internalServerError, detail: "the server could not complete the request")
            .response(instance: request.path, requestID: request.requestID)
    }

    /// 10,000 connections need more descriptors than the usual soft limit of 1024.
    private func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
