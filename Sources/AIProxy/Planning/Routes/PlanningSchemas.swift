import Kernel

/// OpenAPI schemas of planning's routes.
enum PlanningSchemas {
    static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let money: JSONValue = [
        "type": "object", "required": ["amount", "currency"],
        "properties": [
            "amount": ["type": "integer", "description": "Minor units"], "currency": ["type": "string"],
        ],
    ]

    static let generate: JSONValue = [
        "type": "object", "required": ["pace"], "additionalProperties": false,
        "properties": [
            "interests": ["type": "array", "items": ["type": "string"], "maxItems": 20],
            "pace": ["type": "string", "enum": ["relaxed", "normal", "packed"]],
            "budget": money,
            "must_include": [
                "type": "array", "items": ["type": "string"], "maxItems": 50,
                "description": "Ids of the trip's unscheduled ideas, or place names",
            ],
            "avoid": ["type": "array", "items": ["type": "string"], "maxItems": 50],
            "days": ["type": "array", "items": ["type": "string", "format": "date"]],
        ],
    ]

    static let job: JSONValue = [
        "type": "object",
        "required": ["id", "kind", "trip_id", "state", "attempts", "max_attempts", "errors", "created_at"],
        "properties": [
            "id": uuid, "kind": ["type": "string"], "trip_id": uuid,
            "state": [
                "type": "string",
                "enum": ["available", "scheduled", "running", "retryable", "completed", "discarded", "cancelled"],
            ],
            "attempts": ["type": "integer"], "max_attempts": ["type": "integer"],
            "errors": [
                "type": "array",
                "items": [
                    "type": "object",
                    "properties": ["attempt": ["type": "integer"], "at": dateTime, "message": ["type": "string"]],
                ],
            ],
            "created_at": dateTime, "finalized_at": dateTime, "proposal_id": uuid,
            "result_url": ["type": "string", "description": "The proposal, once the job completed"],
        ],
    ]

    static let planItem: JSONValue = [
        "type": "object", "required": ["day", "start_time", "end_time", "title", "kind"],
        "properties": [
            "item_id": ["type": "string", "description": "An existing idea to schedule; absent for a new item"],
            "day": ["type": "string"], "start_time": ["type": "string"], "end_time": ["type": "string"],
            "title": ["type": "string"], "kind": ["type": "string"],
            "place": [
                "type": "object",
                "properties": ["name": ["type": "string"], "lat": ["type": "number"], "lon": ["type": "number"]],
            ],
            "cost": money, "notes": ["type": "string"],
            "opening_hours": [
                "type": "object", "properties": ["opens": ["type": "string"], "closes": ["type": "string"]],
            ],
        ],
    ]

    static let check: JSONValue = [
        "type": "object", "required": ["name", "passed", "violations"],
        "properties": [
            "name": ["type": "string", "enum": .array(PlanCheckName.allCases.map { .string($0.rawValue) })],
            "passed": ["type": "boolean"],
            "violations": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["message"],
                    "properties": [
                        "item": ["type": "integer", "description": "Index into plan"], "day": ["type": "string"],
                        "message": ["type": "string"],
                    ],
                ],
            ],
        ],
    ]

    static let proposal: JSONValue = [
        "type": "object",
        "required": ["id", "trip_id", "status", "planner", "plan", "checks", "passed", "request", "created_at"],
        "properties": [
            "id": uuid, "trip_id": uuid, "status": ["type": "string", "enum": ["proposed", "applied", "discarded"]],
            "planner": ["type": "string", "enum": ["builtin", "model"]], "model": ["type": "string"],
            "fallback_reason": ["type": "string", "description": "Why the built-in planner made it"],
            "model_attempts": ["type": "integer"],
            "model_violations": ["type": "array", "items": ["type": "string"]],
            "request": generate, "plan": ["type": "array", "items": planItem],
            "checks": ["type": "array", "items": check], "passed": ["type": "boolean"],
            "notes": ["type": "array", "items": ["type": "string"]], "trip_version": ["type": "integer"],
            "created_by": uuid, "created_at": dateTime, "applied_at": dateTime, "discarded_at": dateTime,
        ],
    ]

    static let suggestions: JSONValue = [
        "type": "object", "required": ["trip_id", "suggestions"],
        "properties": [
            "trip_id": uuid, "day": ["type": "string", "format": "date"], "model": ["type": "string"],
            "suggestions": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["title", "kind", "reason"],
                    "properties": [
                        "title": ["type": "string"], "kind": ["type": "string"], "reason": ["type": "string"],
                        "place": [
                            "type": "object",
                            "properties": [
                                "name": ["type": "string"], "lat": ["type": "number"], "lon": ["type": "number"],
                            ],
                        ],
                    ],
                ],
            ],
        ],
    ]
}
