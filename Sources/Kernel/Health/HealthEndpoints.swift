import HTTP

/// `GET /healthz` and `GET /readyz`.
public enum HealthEndpoints {
    /// Seconds a load balancer should wait before asking `/readyz` again after a 503.
    public static let retryAfterSeconds = 5

    /// Built once: answering is a copy of this value (the body is shared, copy-on-write).
    private static let healthy: Response = {
        var r = Response(status: .ok, contentType: "application/json", body: Array(#"{"status":"ok"}"#.utf8))
        r.headers.append(.cacheControl, "no-store")
        return r
    }()

    /// Process liveness only: no dependency is consulted, so a database outage never gets the pod
    /// restarted (DESIGN §8).
    @Sendable public static func healthz(_ request: Request) -> Response {
        healthy
    }

    /// `{"status":"ready","checks":{"postgres":{"ok":true,"critical":true}}}`, or 503 with status
    /// `unready` or `draining` and `Retry-After`.
    public static func readyz(_ readiness: Readiness) -> Handler {
        { _ in
            let report = readiness.evaluate()
            var checks: [(String, JSONValue)] = []
            for r in report.results {
                var fields: [(String, JSONValue)] = [("ok", .bool(r.result.ok)), ("critical", .bool(r.critical))]
                if let detail = r.result.detail { fields.append(("detail", .string(detail))) }
                checks.append((r.name, .object(fields)))
            }
            let body: JSONValue = ["status": .string(report.status.rawValue), "checks": .object(checks)]
            var response = Response(
                status: report.status == .ready ? .ok : .serviceUnavailable, contentType: "application/json",
                body: body.bytes)
            response.headers.append(.cacheControl, "no-store")
            if report.status != .ready { response.headers.append(.retryAfter, String(retryAfterSeconds)) }
            return response
        }
    }
}
