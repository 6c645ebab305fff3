/// A Lua script and its SHA-1, computed once, so calls send the 40-byte digest (`EVALSHA`) instead of
/// the source. Declare scripts as `static let` so the digest is computed once per process.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// Lowercase hex SHA-1 of `source`, as `SCRIPT LOAD` returns it.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = SHA1.hexDigest(Array(source.utf8))
    }
}

extension RedisPool {
    /// Runs `script` with `EVALSHA`; when the server does not have it cached (`NOSCRIPT`: restart,
    /// failover, `SCRIPT FLUSH`) it sends `EVAL`, which runs it and caches it for the next call.
    /// Never replayed after a broken connection: scripts usually write.
    public func evaluate(
        _ script: RedisScript, keys: [String] = [], args: [any RedisArgument] = []
    ) throws(RedisError) -> RESPValue {
        let tail: [any RedisArgument] = [keys.count] + keys + args
        return try run(retryable: false) { connection throws(RedisError) in
            do throws(RedisError) {
                return try connection.command(["EVALSHA", script.sha1] + tail)
            } catch .server(let message) where message.hasPrefix("NOSCRIPT") {
                return try connection.command(["EVAL", script.source] + tail)
            }
        }
    }
}
