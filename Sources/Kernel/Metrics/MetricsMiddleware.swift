import HTTP

/// Records `http_requests_total{method,route,status}` and `http_request_duration_seconds{method,route}`.
/// The route label is the matched template or `unmatched`, never the raw path: paths carry ids, and one
/// time series per id would grow without bound.
public struct MetricsMiddleware: Middleware {
    private let metrics: HTTPMetrics

    public init(metrics: HTTPMetrics) {
        self.metrics = metrics
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        let start = ContinuousClock.now
        let route = request.route.isEmpty ? "unmatched" : request.route
        do {
            var response = try next(request)
            if case .deferred(let deferred) = response.body {
                let metrics = self.metrics
                response.body = .deferred(
                    deferred.map { produced in
                        metrics.record(
                            method: request.method, route: route, status: produced.status.code,
                            duration: ContinuousClock.now - start)
                        return produced
                    })
                return response
            }
            metrics.record(
                method: request.method, route: route, status: response.status.code,
                duration: ContinuousClock.now - start)
            return response
        } catch {
            // Only without an error middleware inside: the server answers 500 for what escapes.
            metrics.record(method: request.method, route: route, status: 500, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
