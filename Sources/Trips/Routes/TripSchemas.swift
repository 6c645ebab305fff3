import Kernel

/// JSON Schemas of Trips' bodies for `/openapi.json`.
enum TripSchemas {
    static let string: JSONValue = ["type": "string"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    static let date: JSONValue = ["type": "string", "format": "date"]
    static let time: JSONValue = ["type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let currency: JSONValue = ["type": "string", "pattern": "^[A-Z]{3}$"]
    static let latitude: JSONValue = ["type": "number", "minimum": -90, "maximum": 90]
    static let longitude: JSONValue = ["type": "number", "minimum": -180, "maximum": 180]

    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String] = []) -> JSONValue {
        var o: [(String, JSONValue)] = [
            ("type", "object"), ("properties", .object(properties.map { ($0.key, $0.value) })),
        ]
        if !required.isEmpty { o.append(("required", .array(required.map { .string($0) }))) }
        return .object(o)
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map { .string($0) })]
    }

    static let money = object(["amount": integer, "currency": currency], required: ["amount", "currency"])
    static let destination = object(
        [
            "name": string, "lat": latitude, "lon": longitude,
            "country_code": ["type": "string", "pattern": "^[A-Za-z]{2}$"],
        ],
        required: ["name"])
    static let place = object(
        ["name": string, "lat": latitude, "lon": longitude, "address": string, "provider_ref": string],
        required: ["name", "lat", "lon"])
    static let role = enumeration(TripRole.allCases.map(\.rawValue))

    static let tripInput = object(
        [
            "title": ["type": "string", "maxLength": 200], "description": nullableString, "destination": destination,
            "start_date": date, "end_date": date, "timezone": ["type": "string", "description": "IANA time zone"],
            "currency": currency, "budget": money,
        ], required: ["title", "start_date", "end_date", "timezone", "currency"])
    static let trip = object(
        [
            "id": uuid, "title": string, "description": string, "destination": destination, "start_date": date,
            "end_date": date, "timezone": string, "currency": currency, "budget": money, "role": role,
            "item_count": integer, "version": integer, "created_at": dateTime, "updated_at": dateTime,
            "deleted_at": dateTime,
        ], required: ["id", "title", "start_date", "end_date", "timezone", "currency", "item_count", "version"])

    static let itemProperties: KeyValuePairs<String, JSONValue> = [
        "kind": enumeration(ItemKind.allCases.map(\.rawValue)), "title": string,
        "day": ["type": ["string", "null"], "format": "date"],
        "start_time": time, "end_time": time, "starts_at": dateTime, "ends_at": dateTime, "place": place,
        "cost": money, "url": ["type": "string", "format": "uri"], "notes": string,
        "confirmation_code": ["type": "string", "description": "Encrypted at rest."], "check_in": date,
        "check_out": date, "from": place, "to": place, "carrier": string, "number": string,
        "mode": enumeration(TransportMode.allCases.map(\.rawValue)),
        "after_id": ["type": "string", "format": "uuid", "description": "Creation only: insert after this item."],
    ]
    static let itemInput = object(itemProperties, required: ["kind", "title"])
    static let item: JSONValue = {
        var properties: [(String, JSONValue)] = [
            ("id", uuid), ("trip_id", uuid), ("version", integer), ("created_at", dateTime), ("updated_at", dateTime),
        ]
        properties += itemProperties.filter { $0.key != "after_id" }.map { ($0.key, $0.value) }
        return .object([
            ("type", "object"), ("properties", .object(properties)),
            ("required", ["id", "trip_id", "kind", "title", "version"]),
        ])
    }()

    static func page(_ item: JSONValue) -> JSONValue {
        object(["data": array(item), "next_cursor": nullableString], required: ["data", "next_cursor"])
    }

    static let anyObject: JSONValue = ["type": "object"]

    static let unauthorized = ResponseDoc.problem(
        401, "Missing, invalid or expired credentials", headers: [("WWW-Authenticate", "Bearer challenge")])
    static let invalid = ResponseDoc.problem(400, "Invalid body or query; `errors` names each field")
    static let notFound = ResponseDoc.problem(404, "No such trip, or the caller is not a member")
    static let forbidden = ResponseDoc.problem(403, "The caller's trip role does not allow this")
    static let stale = ResponseDoc.problem(412, "If-Match does not match the current ETag")
    static let ifMatch = ParameterDoc("If-Match", in: .header, description: "ETag from a previous read: 412 when stale")
    static let ifNoneMatch = ParameterDoc(
        "If-None-Match", in: .header, description: "ETag from a previous read: 304 when unchanged")
    static let idempotencyKey = ParameterDoc(
        "Idempotency-Key", in: .header,
        description: "Retries with the same key and body replay the first answer for 24 h")
}
