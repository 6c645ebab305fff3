import HTTP
import Prometheus
import Synchronization

/// The HTTP metrics, registered with their help texts in one place (the registry rejects a second
/// registration of a name with different help), with per-label-set handles cached so the request path
/// does a dictionary lookup instead of building label arrays and taking the registry's lock.
public final class HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    struct RequestKey: Hashable {
        let method: HTTPMethod
        let route: String
        let status: Int
    }

    struct DurationKey: Hashable {
        let method: HTTPMethod
        let route: String
    }

    struct Handles {
        var requests: [RequestKey: Counter] = [:]
        var durations: [DurationKey: DurationHistogram] = [:]
        var protocolErrors: [Int: Counter] = [:]
    }

    // Handles created on first use of a label set; every handler thread reads them.
    private let handles = Mutex(Handles())

    let openConnections: Gauge
    let handlerQueueDepth: Gauge
    let busyHandlers: Gauge
    let loadShed: Counter
    let connectionsRefused: Counter

    // Computed: the descriptor type is not Sendable, and it is only needed when a label set is new.
    static var requestsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests answered, by method, route template and status.")
    }
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time from routing to response, by method and route template.")
    }
    static var protocolErrorsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_protocol_errors", unitName: "total",
            helpText: "Requests rejected by the parser or timed out, by status.")
    }

    public init(registry: PrometheusCollectorRegistry = MetricsBootstrap.registry) {
        self.registry = registry
        openConnections = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "http_open", unitName: "connections", helpText: "Open client connections."))
        handlerQueueDepth = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "http_handler_queue", unitName: "depth", helpText: "Requests waiting for a handler thread.")
        )
        busyHandlers = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "http_handler_busy", unitName: "threads", helpText: "Handler threads running a request."))
        loadShed = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "http_load_shed", unitName: "total",
                helpText: "Requests answered 503 because the handler pool was full."))
        connectionsRefused = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "http_connections_refused", unitName: "total",
                helpText: "Connections closed at once because the connection limit was reached."))
    }

    /// Counts one answered request and records its duration.
    public func record(method: HTTPMethod, route: String, status: Int, duration: Duration) {
        let (counter, histogram) = handles.withLock { h in
            let rk = RequestKey(method: method, route: route, status: status)
            let counter: Counter
            if let c = h.requests[rk] {
                counter = c
            } else {
                counter = registry.makeCounter(
                    descriptor: Self.requestsTotal,
                    labels: [("method", method.description), ("route", route), ("status", String(status))])
                h.requests[rk] = counter
            }
            let dk = DurationKey(method: method, route: route)
            let histogram: DurationHistogram
            if let d = h.durations[dk] {
                histogram = d
            } else {
                histogram = registry.makeDurationHistogram(
                    descriptor: Self.requestDuration, labels: [("method", method.description), ("route", route)],
                    buckets: MetricsBootstrap.durationBuckets)
                h.durations[dk] = histogram
            }
            return (counter, histogram)
        }
        counter.increment()
        histogram.record(duration)
    }

    /// Counts a request the parser rejected (it never reached middleware).
    public func recordProtocolError(status: Int) {
        let counter = handles.withLock { h in
            if let c = h.protocolErrors[status] { return c }
            let c = registry.makeCounter(descriptor: Self.protocolErrorsTotal, labels: [("status", String(status))])
            h.protocolErrors[status] = c
            return c
        }
        counter.increment()
    }

    /// Copies the server's load snapshot into the gauges (done at scrape time).
    public func update(_ stats: ServerStats) {
        openConnections.set(Double(stats.openConnections))
        handlerQueueDepth.set(Double(stats.handlerQueueDepth))
        busyHandlers.set(Double(stats.busyHandlers))
    }

    /// Wires the server's out-of-band events (parser rejections, shed load, refused connections) into
    /// counters, keeping whatever else `events` already does.
    public func observe(_ events: ServerEvents) -> ServerEvents {
        var e = events
        let previousProtocolError = events.protocolError
        e.protocolError = { [self] error, remote in
            recordProtocolError(status: error.status.code)
            previousProtocolError?(error, remote)
        }
        let previousShed = events.loadShed
        e.loadShed = { [self] in
            loadShed.increment()
            previousShed?()
        }
        let previousRefused = events.connectionRefused
        e.connectionRefused = { [self] in
            connectionsRefused.increment()
            previousRefused?()
        }
        return e
    }
}
