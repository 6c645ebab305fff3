/// Hooks the server calls for things that never reach middleware (protocol errors, shed load), so the
/// application can log and count them.
public struct ServerEvents: Sendable {
    /// A request was rejected by the parser or timed out (the status says which); the connection closes.
    public var protocolError: (@Sendable (HTTPParseError, _ remoteAddress: String) -> Void)?
    /// A request was answered 503 because the handler pool and its queue were full.
    public var loadShed: (@Sendable () -> Void)?
    /// A connection was refused because `maxConnections` were open.
    public var connectionRefused: (@Sendable () -> Void)?

    public init() {}
}

/// A snapshot of the server's load, for metrics and readiness.
public struct ServerStats: Sendable, Equatable {
    public var openConnections: Int
    public var handlerQueueDepth: Int
    public var busyHandlers: Int
    public var isDraining: Bool
}
