/// Everything the HTTP server can be told, with production defaults (DESIGN §2).
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; `HTTPServer.port` tells which.
    public var port = 8080
    public var backlog: Int32 = 4096
    /// Serial I/O queues connections are pinned to; default one per core.
    public var ioQueues = max(1, System.activeProcessorCount)
    /// Handler threads (handlers may block on PostgreSQL/Redis) and how many requests may wait for one.
    public var handlerThreads = max(8, 4 * System.activeProcessorCount)
    public var handlerQueueLimit = 1024
    /// Open connections beyond this are answered 503 and closed at once.
    public var maxConnections = 20_000
    /// Requests a connection may have queued (pipelined) before the server stops reading from it.
    public var maxPipelined = 16
    /// Whole header section, from its first byte (408 after).
    public var headerTimeout: Duration = .seconds(10)
    /// Whole body, from the end of the head (408 after).
    public var bodyTimeout: Duration = .seconds(30)
    /// Keep-alive idle time; longer than nginx's 75 s upstream keepalive so nginx closes first.
    public var idleTimeout: Duration = .seconds(90)
    /// A client that reads none of its response for this long is dropped.
    public var writeTimeout: Duration = .seconds(30)
    /// How long a draining server waits for in-flight requests (SIGTERM).
    public var gracePeriod: Duration = .seconds(25)
    public var parserLimits = ParserLimits()
    /// Bytes a streamed response may queue before `BodyWriter.write` waits.
    public var streamHighWater = 256 * 1024

    public init() {}
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public enum System {
    public static var activeProcessorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (s, a) = components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, a / 1_000_000_000))
    }
}
