import HTTP
import Kernel

/// `GET /v1/ai/usage` (the caller's own) and `GET /v1/admin/ai/usage` (everyone's, or one user's).
struct UsageRoutes {
    let report: UsageReport
    let currency: String
    let middleware: [any Middleware]

    static let parameters = [
        ParameterDoc("from", description: "First UTC date, YYYY-MM-DD (default: 29 days before to)"),
        ParameterDoc("to", description: "Last UTC date, inclusive (default: today)"),
        ParameterDoc("group_by", schema: ["type": "string", "enum": ["day", "model", "trip"]]),
    ]

    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "data": [
                "type": "array",
                "items": [
                    "type": "object",
                    "properties": [
                        "key": ["type": ["string", "null"]], "requests": ["type": "integer"],
                        "prompt_tokens": ["type": "integer"], "completion_tokens": ["type": "integer"],
                        "cost_nanos": ["type": "integer", "description": "Nano-units (1e-9) of currency"],
                        "currency": ["type": "string"], "cache_hits": ["type": "integer"],
                    ],
                ],
            ],
            "totals": ["type": "object"],
        ],
    ]

    func register(_ routes: inout Routes) {
        let report = self.report
        let currency = self.currency
        routes.get(
            "/v1/ai/usage", middleware: middleware,
            doc: RouteDoc(
                summary: "My AI usage and cost, per day, model or trip", tags: ["ai"], parameters: Self.parameters,
                responses: [
                    ResponseDoc(200, "Usage groups and totals", schema: Self.schema), .problem(400, "Bad query"),
                ])
        ) { request in
            let principal = try request.authenticated(scope: .ai)
            let query = try UsageReport.query(request, admin: false)
            let body = try report.report(query, userID: principal.userID, currency: currency)
            return Response(status: .ok, contentType: "application/json", body: body.bytes)
        }
        routes.get(
            "/v1/admin/ai/usage", middleware: middleware,
            doc: RouteDoc(
                summary: "Everyone's AI usage and cost (admin)", tags: ["ai", "admin"],
                parameters: Self.parameters + [ParameterDoc("user_id", description: "Only this user")],
                responses: [
                    ResponseDoc(200, "Usage groups and totals", schema: Self.schema), .problem(400, "Bad query"),
                ])
        ) { request in
            _ = try request.authenticatedAdmin()
            let query = try UsageReport.query(request, admin: true)
            let body = try report.report(query, userID: nil, currency: currency)
            return Response(status: .ok, contentType: "application/json", body: body.bytes)
        }
    }
}
