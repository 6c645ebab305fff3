import HTTP

/// `GET /metrics`: the registry in Prometheus text exposition format, with the server's load gauges
/// refreshed from `stats` first (a gauge only matters at the moment it is scraped).
public struct MetricsEndpoint: Sendable {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let metrics: HTTPMetrics
    private let stats: @Sendable () -> ServerStats?

    /// - Parameter stats: the running server's snapshot; nil before it has started.
    public init(metrics: HTTPMetrics, stats: @escaping @Sendable () -> ServerStats?) {
        self.metrics = metrics
        self.stats = stats
    }

    public func handle(_ request: Request) -> Response {
        if let s = stats() { metrics.update(s) }
        var response = Response(status: .ok, contentType: Self.contentType, body: metrics.registry.emitToBuffer())
        response.headers.append(.cacheControl, "no-store")
        return response
    }
}
