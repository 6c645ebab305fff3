import HTTP
import Kernel

/// `POST /v1/ai/suggest`: a few quick suggestions for a trip or one of its days.
struct SuggestRoutes {
    let suggestions: Suggestions

    func register(_ routes: inout Routes) {
        let s = suggestions
        routes.post(
            "/v1/ai/suggest", bodyLimit: 4096,
            doc: RouteDoc(
                summary: "Quick suggestions for a trip (member; synchronous, cached)", tags: ["planning"],
                requestBody: RequestBodyDoc(
                    schema: [
                        "type": "object", "required": ["trip_id"],
                        "properties": [
                            "trip_id": PlanningSchemas.uuid, "day": ["type": "string", "format": "date"],
                        ],
                    ]),
                responses: [
                    ResponseDoc(200, "Suggestions", schema: PlanningSchemas.suggestions),
                    .problem(400, "Invalid fields"), .problem(404, "No such trip (or not a member)"),
                    .problem(502, "The model failed or answered nonsense"),
                    .problem(503, "No AI provider is configured"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .ai)
            return try .json(s.suggest(try request.decodeJSON(SuggestInput.self), p))
        }
    }
}
