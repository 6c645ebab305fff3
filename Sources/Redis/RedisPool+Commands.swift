/// Typed helpers for the commands the services use. Keys are `String`; values are any
/// `RedisArgument` (`String`, `[UInt8]`, `Int` …) and come back as bytes, so binary data round-trips.
extension RedisPool {
    /// Any command, e.g. `command(["HSET", key, "field", value])`. An error reply throws `.server`.
    public func command(_ arguments: [any RedisArgument]) throws(RedisError) -> RESPValue {
        try run(retryable: RedisRetryPolicy.mayRetry(arguments)) { connection throws(RedisError) in
            try connection.command(arguments)
        }
    }

    /// Sends all commands in one round trip and returns one reply per command, in order. Error replies
    /// are returned as `.error` values, not thrown. Never replayed: a broken pipeline's writes may have run.
    public func pipeline(_ commands: [[any RedisArgument]]) throws(RedisError) -> [RESPValue] {
        try run(retryable: false) { connection throws(RedisError) in try connection.pipeline(commands) }
    }

    /// Throws unless the server answers `PONG`; what `/readyz` calls.
    public func ping() throws(RedisError) {
        let reply = try command(["PING"])
        guard reply.string == "PONG" else { throw .unexpectedReply("PING answered \(reply.kind)") }
    }

    /// The value of `key`, nil when it does not exist.
    public func get(_ key: String) throws(RedisError) -> [UInt8]? {
        let reply = try command(["GET", key])
        if reply.isNil { return nil }
        guard let bytes = reply.bytes else { throw .unexpectedReply("GET answered \(reply.kind)") }
        return bytes
    }

    /// The value of `key` as UTF-8 text; throws `.unexpectedReply` when the stored bytes are not UTF-8.
    public func getString(_ key: String) throws(RedisError) -> String? {
        guard let bytes = try get(key) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unexpectedReply("GET value is not valid UTF-8")
        }
        return text
    }

    /// `SET key value [EX s | PX ms] [NX]`. Returns false only when `onlyIfAbsent` and the key existed.
    /// Whole seconds are sent as EX, anything finer as PX (rounded up to a millisecond); a zero or
    /// negative duration is refused by Redis (`.server`).
    @discardableResult
    public func set(
        _ key: String, _ value: some RedisArgument, expiresIn: Duration? = nil, onlyIfAbsent: Bool = false
    ) throws(RedisError) -> Bool {
        var arguments: [any RedisArgument] = ["SET", key, value]
        if let expiresIn {
            let (seconds, fraction) = expiresIn.components
            arguments += fraction == 0 ? ["EX", Int(seconds)] : ["PX", Self.milliseconds(expiresIn)]
        }
        if onlyIfAbsent { arguments.append("NX") }
        let reply = try command(arguments)
        if reply.isNil { return false }
        guard reply.string == "OK" else { throw .unexpectedReply("SET answered \(reply.kind)") }
        return true
    }

    /// Deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: String...) throws(RedisError) -> Int { try del(keys) }

    /// Deletes keys; returns how many existed. No round trip for an empty list.
    @discardableResult
    public func del(_ keys: [String]) throws(RedisError) -> Int {
        if keys.isEmpty { return 0 }
        return try integer(["DEL"] + keys, "DEL")
    }

    /// `INCRBY key amount`; returns the new value. A value that is not an integer throws `.server`.
    @discardableResult
    public func incr(_ key: String, by amount: Int = 1) throws(RedisError) -> Int {
        try integer(amount == 1 ? ["INCR", key] : ["INCRBY", key, amount], "INCR")
    }

    /// Sets a time to live on `key`; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, in duration: Duration) throws(RedisError) -> Bool {
        let (seconds, fraction) = duration.components
        let arguments: [any RedisArgument] =
            fraction == 0 ? ["EXPIRE", key, Int(seconds)] : ["PEXPIRE", key, Self.milliseconds(duration)]
        return try integer(arguments, "EXPIRE") == 1
    }

    /// Values of `keys` in order, nil for each missing key. No round trip for an empty list.
    public func mget(_ keys: [String]) throws(RedisError) -> [[UInt8]?] {
        if keys.isEmpty { return [] }
        let reply = try command(["MGET"] + keys)
        guard let elements = reply.array, elements.count == keys.count else {
            throw .unexpectedReply("MGET answered \(reply.kind)")
        }
        return elements.map { $0.isNil ? nil : $0.bytes }
    }

    /// Publishes `message` on `channel`; returns how many subscribers received it (on this node).
    @discardableResult
    public func publish(_ channel: String, _ message: some RedisArgument) throws(RedisError) -> Int {
        try integer(["PUBLISH", channel, message], "PUBLISH")
    }

    // MARK: - Helpers

    private func integer(_ arguments: [any RedisArgument], _ name: String) throws(RedisError) -> Int {
        let reply = try command(arguments)
        guard case .integer(let value) = reply else { throw .unexpectedReply("\(name) answered \(reply.kind)") }
        return value
    }

    /// Rounded up, so a sub-millisecond TTL still expires rather than being refused as zero.
    private static func milliseconds(_ duration: Duration) -> Int {
        let nanoseconds = duration.wholeNanoseconds
        return nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 == 0 ? 0 : 1)
    }
}

extension RESPValue {
    /// The reply's shape for error messages; never its contents (they may be user data).
    var kind: String {
        switch self {
        case .simpleString: return "a status"
        case .error: return "an error"
        case .integer: return "an integer"
        case .bulkString(nil), .array(nil): return "nil"
        case .bulkString: return "a bulk string"
        case .array: return "an array"
        }
    }
}
