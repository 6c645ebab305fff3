import Kernel

/// JSON Schemas of Auth's bodies for `/openapi.json`, next to nothing else so routes stay readable.
enum AuthSchemas {
    static let string: JSONValue = ["type": "string"]
    static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let email: JSONValue = ["type": "string", "format": "email", "maxLength": 254]
    static let password: JSONValue = ["type": "string", "minLength": 8, "maxLength": 256]

    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String] = []) -> JSONValue {
        object(properties.map { ($0.key, $0.value) }, required: required)
    }

    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var o: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { o.append(("required", .array(required.map { .string($0) }))) }
        return .object(o)
    }

    static let userProperties: KeyValuePairs<String, JSONValue> = [
        "id": uuid, "email": email, "display_name": string, "role": ["type": "string", "enum": ["user", "admin"]],
        "email_verified": ["type": "boolean"], "two_factor_enabled": ["type": "boolean"], "created_at": dateTime,
    ]
    static let userRequired = [
        "id", "email", "display_name", "role", "email_verified", "two_factor_enabled", "created_at",
    ]
    static let user = object(userProperties, required: userRequired)
    static let adminUser = object(
        userProperties.map { ($0.key, $0.value) } + [
            ("disabled", ["type": "boolean"]), ("deleted", ["type": "boolean"]),
        ],
        required: userRequired + ["disabled", "deleted"])

    static let tokenPair = object(
        [
            "user": user, "access_token": string, "refresh_token": string, "token_type": ["const": "Bearer"],
            "expires_in": ["type": "integer"],
        ], required: ["user", "access_token", "refresh_token", "token_type", "expires_in"])

    static let scopes: JSONValue = [
        "type": "array", "minItems": 1,
        "items": ["type": "string", "enum": .array(Scope.allCases.map { .string($0.rawValue) })],
    ]

    static let apiKeyProperties: [(String, JSONValue)] = [
        ("id", uuid), ("name", string), ("prefix", string), ("scopes", scopes), ("expires_at", dateTime),
        ("last_used_at", dateTime), ("created_at", dateTime),
    ]
    static let apiKey = object(apiKeyProperties, required: ["id", "name", "prefix", "scopes", "created_at"])
    static let createdAPIKey = object(
        apiKeyProperties + [("key", ["type": "string", "description": "The secret; shown only in this response."])],
        required: ["id", "name", "prefix", "scopes", "created_at", "key"])

    static let auditEntry = object(
        [
            "id": uuid, "at": dateTime, "action": string, "actor_id": uuid, "target_id": uuid, "ip": string,
            "user_agent": string, "request_id": string, "detail": ["type": "object"],
        ], required: ["id", "at", "action", "detail"])

    static func page(_ item: JSONValue) -> JSONValue {
        object(
            ["data": ["type": "array", "items": item], "next_cursor": ["type": ["string", "null"]]],
            required: ["data", "next_cursor"])
    }

    static let jwks = object(["keys": ["type": "array", "items": ["type": "object"]]], required: ["keys"])

    static let unauthorized = ResponseDoc.problem(
        401, "Missing, invalid or expired credentials", headers: [("WWW-Authenticate", "Bearer challenge")])
    static let rateLimited = ResponseDoc.problem(429, "Rate limited", headers: [("Retry-After", "Seconds to wait")])
    static let invalid = ResponseDoc.problem(400, "Invalid body; `errors` names each field")
}
