import Metrics

/// The pool's Prometheus series, labelled by pool name. Created through swift-metrics, so they land
/// in whatever registry the process bootstrapped (Kernel's `/metrics`).
struct PoolMetrics: Sendable {
    private let open: Gauge
    // Constant per pool: alerts divide in-use by it (saturation) without knowing the configuration.
    private let capacity: Gauge
    private let inUse: Gauge
    private let acquireWait: Timer
    private let timeouts: Counter
    private let opens: Counter
    private let connectFailures: Counter
    private let replacements: Counter

    init(pool: String, size: Int) {
        let dims = [("pool", pool)]
        open = Gauge(label: "pg_pool_connections", dimensions: dims)
        capacity = Gauge(label: "pg_pool_connections_max", dimensions: dims)
        capacity.record(size)
        inUse = Gauge(label: "pg_pool_connections_in_use", dimensions: dims)
        acquireWait = Timer(label: "pg_pool_acquire_duration_seconds", dimensions: dims)
        timeouts = Counter(label: "pg_pool_acquire_timeouts_total", dimensions: dims)
        opens = Counter(label: "pg_connections_opened_total", dimensions: dims)
        connectFailures = Counter(label: "pg_connect_failures_total", dimensions: dims)
        replacements = Counter(label: "pg_connections_dropped_total", dimensions: dims)
    }

    func update(open count: Int, inUse used: Int) {
        open.record(count)
        inUse.record(used)
    }

    func acquired(waitedNanoseconds: UInt64) { acquireWait.recordNanoseconds(Int64(waitedNanoseconds)) }
    func timedOut() { timeouts.increment() }
    func opened() { opens.increment() }
    func connectFailed() { connectFailures.increment() }
    func replaced() { replacements.increment() }
}
