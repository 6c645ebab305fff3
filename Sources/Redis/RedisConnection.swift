import CHiredis

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One blocking connection to Redis (one hiredis `redisContext`).
///
/// Not thread-safe: one thread uses it at a time (the pool hands it out exclusively). After any I/O
/// error or timeout hiredis leaves the context unusable and the reply stream may be out of step, so
/// the connection reports `isBroken` and is never used again.
public final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    private let endpoint: String
    private var failed = false
    /// Set by the pool so commands sent through `withConnection` are counted too.
    var metrics: RedisMetrics?

    private init(context: UnsafeMutablePointer<redisContext>, endpoint: String) {
        self.context = context
        self.endpoint = endpoint
    }

    deinit { redisFree(context) }

    /// Connects within `connectTimeout`, sets the command timeout, then sends AUTH and SELECT.
    public static func connect(_ configuration: RedisConfiguration) throws(RedisError) -> RedisConnection {
        let endpoint = configuration.endpoint
        guard
            let context = redisConnectWithTimeout(
                configuration.host, Int32(clamping: configuration.port), makeTimeval(configuration.connectTimeout))
        else { throw .connection("\(endpoint): out of memory creating the hiredis context") }
        let connection = RedisConnection(context: context, endpoint: endpoint)
        guard context.pointee.err == 0 else { throw .connection("\(endpoint): \(connection.contextError)") }
        guard redisSetTimeout(context, makeTimeval(configuration.commandTimeout)) == REDIS_OK else {
            throw .connection("\(endpoint): cannot set the command timeout: \(connection.contextError)")
        }
        // Keep-alive notices a peer that vanished without a FIN (node lost, NAT entry expired).
        _ = redisEnableKeepAlive(context)
        do throws(RedisError) {
            if let password = configuration.password {
                var auth: [any RedisArgument] = ["AUTH"]
                if let username = configuration.username { auth.append(username) }
                auth.append(password)
                _ = try connection.command(auth)
            }
            if configuration.database != 0 {
                _ = try connection.command(["SELECT", configuration.database])
            }
        } catch .server(let message) {
            // Wrong password or database: report as a connection failure so the pool backs off.
            throw .connection("\(endpoint): setup refused: \(message)")
        }
        return connection
    }

    /// True once an I/O error, timeout or protocol error happened; the pool discards such a connection.
    public var isBroken: Bool { failed || context.pointee.err != 0 }

    /// Sends one command and waits for its reply. An error reply throws `.server` and leaves the
    /// connection usable; an I/O error or timeout throws and breaks it.
    public func command(_ arguments: [any RedisArgument]) throws(RedisError) -> RESPValue {
        metrics?.sent(1)
        do throws(RedisError) {
            let reply = try send(RedisCommandBuffer(arguments))
            if case .error(let message) = reply { throw RedisError.server(message) }
            return reply
        } catch {
            metrics?.failed(error)
            throw error
        }
    }

    /// Sends all commands in one write, then reads one reply per command, in order. Error replies stay
    /// in the result as `.error` values (the other commands did run); an I/O error throws and breaks
    /// the connection, and then it is unknown which commands ran.
    public func pipeline(_ commands: [[any RedisArgument]]) throws(RedisError) -> [RESPValue] {
        metrics?.sent(commands.count)
        do throws(RedisError) {
            return try sendPipeline(commands)
        } catch {
            metrics?.failed(error)
            throw error
        }
    }

    private func sendPipeline(_ commands: [[any RedisArgument]]) throws(RedisError) -> [RESPValue] {
        if commands.isEmpty { return [] }
        guard !isBroken else { throw .connection("\(endpoint): connection is broken") }
        for arguments in commands {
            let status = try RedisCommandBuffer(arguments).withArgv { argc, argv, lengths throws(RedisError) in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw failure() }
        }
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw failure() }
            replies.append(try take(raw))
        }
        return replies
    }

    /// Cheap check that an idle connection still looks open: the server closed it (restart, idle
    /// timeout) if reading would return EOF; unexpected bytes mean the reply stream is out of step.
    func looksAlive() -> Bool {
        guard !isBroken else { return false }
        var byte: UInt8 = 0
        let received = recv(context.pointee.fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
        failed = true
        return false
    }

    // MARK: - Internals

    private func send(_ buffer: RedisCommandBuffer) throws(RedisError) -> RESPValue {
        guard !isBroken else { throw .connection("\(endpoint): connection is broken") }
        let raw = try buffer.withArgv { argc, argv, lengths throws(RedisError) in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else { throw failure() }
        return try take(raw)
    }

    /// Copies a reply into Swift values and frees it at once.
    private func take(_ raw: UnsafeMutableRawPointer) throws(RedisError) -> RESPValue {
        defer { freeReplyObject(raw) }
        do throws(RedisError) {
            return try RESPValue(copying: raw.assumingMemoryBound(to: redisReply.self))
        } catch {
            failed = true
            throw error
        }
    }

    /// The error for a failed hiredis call, read before anything else can change `errno`.
    private func failure() -> RedisError {
        let savedErrno = errno
        failed = true
        let err = context.pointee.err
        // With SO_RCVTIMEO set, a read that times out fails with EAGAIN and hiredis reports REDIS_ERR_IO.
        if err == REDIS_ERR_IO && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK) { return .timeout }
        if err == REDIS_ERR_PROTOCOL { return .unexpectedReply("\(endpoint): \(contextError)") }
        return .connection("\(endpoint): \(contextError)")
    }

    private var contextError: String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "unknown error" : String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// A socket timeout from a duration. Zero means "wait forever" to the kernel, so it is raised to 1 ms.
private func makeTimeval(_ duration: Duration) -> timeval {
    let (seconds, attoseconds) = duration.components
    guard seconds > 0 || (seconds == 0 && attoseconds >= 1_000_000_000_000_000) else {
        return timeval(tv_sec: 0, tv_usec: 1000)
    }
    return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
}
