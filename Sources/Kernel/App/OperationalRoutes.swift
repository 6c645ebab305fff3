import HTTP

/// The routes every replica serves regardless of modules (DESIGN §8), with their documentation.
enum OperationalRoutes {
    static let tag = "Operations"

    static func register(
        into routes: inout Routes, readiness: Readiness, metrics: MetricsEndpoint, openAPI: OpenAPIEndpoint
    ) {
        routes.get(
            "/healthz",
            doc: RouteDoc(
                summary: "Liveness: the process is up",
                description: "Consults no dependency; body is exactly {\"status\":\"ok\"}.",
                tags: [tag],
                responses: [
                    ResponseDoc(
                        200, "Alive.",
                        schema: ["type": "object", "properties": ["status": ["const": "ok"]], "required": ["status"]],
                        example: ["status": "ok"])
                ]),
            HealthEndpoints.healthz)
        routes.get(
            "/readyz",
            doc: RouteDoc(
                summary: "Readiness: dependencies reachable and not draining", tags: [tag],
                responses: [
                    ResponseDoc(
                        200, "Ready to receive traffic.", schema: readinessSchema,
                        example: ["status": "ready", "checks": [:]]),
                    ResponseDoc(
                        503, "Unready (a critical check failed) or draining (shutting down).", schema: readinessSchema,
                        example: ["status": "draining", "checks": [:]],
                        headers: [("Retry-After", "Seconds before asking again.")]),
                ]),
            HealthEndpoints.readyz(readiness))
        routes.get(
            "/metrics",
            doc: RouteDoc(
                summary: "Prometheus metrics", tags: [tag],
                responses: [
                    ResponseDoc(
                        200, "Text exposition format 0.0.4.", contentType: MetricsEndpoint.contentType,
                        schema: ["type": "string"])
                ]),
            { request in metrics.handle(request) })
        routes.get("/openapi.json", doc: OpenAPIEndpoint.doc) { request in try openAPI.handle(request) }
    }

    static let readinessSchema: JSONValue = [
        "type": "object",
        "required": ["status", "checks"],
        "properties": [
            "status": ["enum": ["ready", "unready", "draining"]],
            "checks": [
                "type": "object",
                "additionalProperties": [
                    "type": "object",
                    "required": ["ok", "critical"],
                    "properties": [
                        "ok": ["type": "boolean"], "critical": ["type": "boolean"], "detail": ["type": "string"],
                    ],
                ],
            ],
        ],
    ]
}
