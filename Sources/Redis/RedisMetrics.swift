import Metrics

/// The Redis series, labelled by pool name. Created through swift-metrics, so they land in whatever
/// registry the process bootstrapped (Kernel's `/metrics`); without one they cost nothing.
struct RedisMetrics: Sendable {
    private let commands: Counter
    private let connectionErrors: Counter
    private let serverErrors: Counter
    private let timeouts: Counter
    private let poolTimeouts: Counter
    private let otherErrors: Counter
    private let connections: Gauge

    init(pool: String) {
        let dims = [("pool", pool)]
        commands = Counter(label: "redis_commands_total", dimensions: dims)
        func errors(_ kind: String) -> Counter {
            Counter(label: "redis_errors_total", dimensions: dims + [("kind", kind)])
        }
        connectionErrors = errors("connection")
        serverErrors = errors("server")
        timeouts = errors("timeout")
        poolTimeouts = errors("pool_timeout")
        otherErrors = errors("other")
        connections = Gauge(label: "redis_pool_connections", dimensions: dims)
    }

    func sent(_ count: Int) { commands.increment(by: count) }

    func failed(_ error: RedisError) {
        switch error {
        case .connection: connectionErrors.increment()
        case .server: serverErrors.increment()
        case .timeout: timeouts.increment()
        case .poolTimeout: poolTimeouts.increment()
        case .poolClosed, .unexpectedReply, .configuration, .invalidCommand: otherErrors.increment()
        }
    }

    func open(_ count: Int) { connections.record(count) }
}
