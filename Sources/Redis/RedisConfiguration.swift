/// Where Redis is and how patient to be with it. Defaults suit a cache on the same network: a dead
/// or unreachable Redis must cost a request almost nothing, so every timeout is short.
///
/// `description`, `debugDescription` and the mirror (what `dump` prints) never show the password.
public struct RedisConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// ACL user (`AUTH user password`); nil sends `AUTH password` (the `default` user).
    public var username: String?
    public var password: String?
    /// Logical database chosen with `SELECT` on connect.
    public var database: Int
    /// Label of the pool's metrics, for processes with more than one pool.
    public var name: String
    /// TCP connect timeout (hiredis `redisConnectWithTimeout`).
    public var connectTimeout: Duration
    /// Per-read/write socket timeout (hiredis `redisSetTimeout`); a timed-out connection is discarded.
    public var commandTimeout: Duration
    /// Most connections the pool opens; handlers block waiting for one beyond that.
    public var poolSize: Int
    /// How long a caller waits for a free connection before `poolTimeout`.
    public var acquireTimeout: Duration
    /// After a failed connect, callers fail at once for this long instead of each dialling a dead server.
    public var reconnectBackoff: Duration

    public static let defaultPort = 6379
    public static let defaultPoolSize = 4
    public static let defaultConnectTimeout = Duration.milliseconds(250)
    public static let defaultCommandTimeout = Duration.milliseconds(500)
    public static let defaultAcquireTimeout = Duration.milliseconds(500)
    public static let defaultReconnectBackoff = Duration.milliseconds(500)

    public init(
        host: String = "127.0.0.1", port: Int = RedisConfiguration.defaultPort, username: String? = nil,
        password: String? = nil, database: Int = 0, name: String = "default",
        connectTimeout: Duration = RedisConfiguration.defaultConnectTimeout,
        commandTimeout: Duration = RedisConfiguration.defaultCommandTimeout,
        poolSize: Int = RedisConfiguration.defaultPoolSize,
        acquireTimeout: Duration = RedisConfiguration.defaultAcquireTimeout,
        reconnectBackoff: Duration = RedisConfiguration.defaultReconnectBackoff
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.name = name
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.poolSize = poolSize
        self.acquireTimeout = acquireTimeout
        self.reconnectBackoff = reconnectBackoff
    }

    /// `host:port`, for error messages and logs.
    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension RedisConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The URL with the password replaced by `***`.
    public var description: String {
        var credentials = ""
        if password != nil { credentials = "\(username ?? ""):***@" }
        return "redis://\(credentials)\(endpoint)/\(database)"
    }

    public var debugDescription: String {
        "RedisConfiguration(\(description), poolSize: \(poolSize), connectTimeout: \(connectTimeout), "
            + "commandTimeout: \(commandTimeout))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "username": username as Any, "database": database, "name": name,
                "poolSize": poolSize,
            ])
    }
}
