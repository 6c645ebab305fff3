/// How a throw-away PostgreSQL is configured.
public struct PostgresOptions: Sendable {
    /// false trades crash safety for speed (fsync, synchronous_commit and full_page_writes off, initdb
    /// without sync): right for tests, whose data nobody needs after a power cut.
    public var durable: Bool
    public var maxConnections: Int
    /// A fixed port; nil picks a free one (and another if it is taken before the server binds it).
    public var port: Int?
    /// More `-c name=value` settings, e.g. `["log_min_duration_statement": "200"]`.
    public var settings: [String: String]

    public init(durable: Bool = true, maxConnections: Int = 300, port: Int? = nil, settings: [String: String] = [:]) {
        self.durable = durable
        self.maxConnections = maxConnections
        self.port = port
        self.settings = settings
    }

    /// The `-c` settings for the postgres command line (besides port and listen address).
    func commandLineSettings(socketDirectory: String) -> [String] {
        var all = settings
        all["listen_addresses"] = "127.0.0.1"
        all["unix_socket_directories"] = socketDirectory
        all["max_connections"] = String(maxConnections)
        if !durable {
            all["fsync"] = "off"
            all["synchronous_commit"] = "off"
            all["full_page_writes"] = "off"
        }
        return all.sorted(by: { $0.key < $1.key }).flatMap { ["-c", "\($0.key)=\($0.value)"] }
    }
}
