import HTTP
import Prometheus
import Testing

@testable import Kernel

@Suite struct MetricsTests {
    /// A private registry per test: counts are exact and tests cannot see each other's requests.
    private func fresh() -> HTTPMetrics { HTTPMetrics(registry: PrometheusCollectorRegistry()) }

    private func text(_ metrics: HTTPMetrics) -> String {
        String(
            decoding: MetricsEndpoint(metrics: metrics, stats: { nil }).handle(
                Request(method: .get, target: "/metrics")
            ).bodyBytes, as: UTF8.self)
    }

    @Test func middlewareCountsWithMethodRouteStatusLabels() throws {
        let metrics = fresh()
        let chain: [any Middleware] = [MetricsMiddleware(metrics: metrics)]
        let ok = chain.wrapping { _ in Response(status: .ok) }
        let missing = chain.wrapping { _ in Response(status: .notFound) }
        for _ in 0..<3 { _ = try ok(Request(method: .get, target: "/v1/trips/0190-abc")) }
        _ = try missing(Request(method: .delete, target: "/v1/trips/0190-def"))
        let body = text(metrics)
        // Requests built in code carry no route template: they count as "unmatched", never the raw path.
        #expect(body.contains(#"http_requests_total{method="GET",route="unmatched",status="200"} 3"#))
        #expect(body.contains(#"http_requests_total{method="DELETE",route="unmatched",status="404"} 1"#))
        #expect(!body.contains("0190-abc"))
        #expect(body.contains(#"http_request_duration_seconds_count{method="GET",route="unmatched"} 3"#))
        #expect(body.contains(#"http_request_duration_seconds_bucket{method="GET",route="unmatched",le="0.0005"}"#))
        #expect(body.contains(#"http_request_duration_seconds_bucket{method="GET",route="unmatched",le="10.0"}"#))
        #expect(body.contains("# TYPE http_requests_total counter"))
        #expect(body.contains("# TYPE http_request_duration_seconds histogram"))
    }

    @Test func recordUsesTheTemplateLabel() {
        let metrics = fresh()
        metrics.record(method: .get, route: "/v1/trips/{id}", status: 200, duration: .milliseconds(3))
        metrics.record(method: .get, route: "/v1/trips/{id}", status: 200, duration: .milliseconds(30))
        let body = text(metrics)
        #expect(body.contains(#"http_requests_total{method="GET",route="/v1/trips/{id}",status="200"} 2"#))
        #expect(
            body.contains(#"http_request_duration_seconds_bucket{method="GET",route="/v1/trips/{id}",le="0.005"} 1"#))
        #expect(
            body.contains(#"http_request_duration_seconds_bucket{method="GET",route="/v1/trips/{id}",le="0.05"} 2"#))
    }

    @Test func thrownErrorsCountAs500() {
        let metrics = fresh()
        let handler = ([MetricsMiddleware(metrics: metrics)] as [any Middleware]).wrapping { _ in
            throw HTTPError(.badRequest)
        }
        #expect(throws: HTTPError.self) { try handler(Request(method: .post, target: "/x")) }
        #expect(text(metrics).contains(#"http_requests_total{method="POST",route="unmatched",status="500"} 1"#))
    }

    @Test func protocolErrorsAndServerEventsAreCounted() {
        let metrics = fresh()
        let forwarded = ByteBox()
        var original = ServerEvents()
        original.loadShed = { Array("shed".utf8).withUnsafeBytes { forwarded.append(contentsOf: $0) } }
        let events = metrics.observe(original)
        metrics.recordProtocolError(status: 400)
        metrics.recordProtocolError(status: 400)
        metrics.recordProtocolError(status: 408)
        events.loadShed?()
        events.connectionRefused?()
        let body = text(metrics)
        #expect(body.contains(#"http_protocol_errors_total{status="400"} 2"#))
        #expect(body.contains(#"http_protocol_errors_total{status="408"} 1"#))
        #expect(body.contains("http_load_shed_total 1"))
        #expect(body.contains("http_connections_refused_total 1"))
        #expect(forwarded.snapshot == Array("shed".utf8), "existing event handlers still run")
    }

    @Test func endpointContentTypeAndGauges() {
        let metrics = fresh()
        let response = MetricsEndpoint(metrics: metrics, stats: { nil }).handle(
            Request(method: .get, target: "/metrics"))
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        let body = response.bodyString
        for gauge in ["http_open_connections", "http_handler_queue_depth", "http_handler_busy_threads"] {
            #expect(body.contains("# TYPE \(gauge) gauge"))
        }
    }

    @Test func sharedRegistryBootstrapsOnce() {
        #expect(MetricsBootstrap.registry === MetricsBootstrap.registry)
        let a = HTTPMetrics()
        let b = HTTPMetrics()  // the same names and help texts on the same registry: no conflict
        #expect(a.registry === b.registry)
    }
}
