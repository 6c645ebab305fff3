import CoreMetrics
import Prometheus

/// The process-wide Prometheus registry, and swift-metrics bootstrapped onto it, so metrics recorded
/// through the swift-metrics API by any module (`Counter(label:)`, `Timer(label:)`) appear on `/metrics`
/// next to the HTTP metrics.
public enum MetricsBootstrap {
    /// Request-duration buckets from 0.5 ms to 10 s: a healthz answers in well under a millisecond, an
    /// export may take seconds.
    public static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    // swift_once-guarded: `MetricsSystem.bootstrap` may run only once per process, and tests start
    // several applications.
    private static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The shared registry; the first access bootstraps swift-metrics.
    public static var registry: PrometheusCollectorRegistry { shared }
}
