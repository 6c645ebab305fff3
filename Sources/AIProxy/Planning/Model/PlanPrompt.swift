import Foundation
import Kernel
import Trips

/// The conversation that asks a model for a plan: the rules in the system message, the trip and the
/// request as JSON in the user message, the answer constrained by a JSON schema (OpenAI structured
/// output, which the gateway translates for Anthropic), and repair turns listing the violations.
enum PlanPrompt {
    /// Ideas sent to the model at most, in id order (a prompt must stay within a model's context).
    static let maximumIdeas = 200

    static let schemaName = "itinerary_plan"

    static let system = """
        You plan travel itineraries. Answer with JSON only, matching the given schema: {"items": [...]}.
        Each item schedules one of the trip's ideas (set item_id to its id) or a new place (item_id null).
        Hard rules, all checked afterwards:
        - day is a date of the trip (and one of the requested days when some are given), as YYYY-MM-DD;
        - start_time and end_time are local HH:MM, the end after the start, within \(PlanningDay.text(PlanningDay.opens))–\(PlanningDay.text(PlanningDay.closes)) and the place's opening hours;
        - no item overlaps another item of its day, including the items already scheduled;
        - per day at most the pace's number of items (already scheduled ones count) and its walking distance (straight lines between consecutive places);
        - costs in minor units of the trip currency, their total within the budget;
        - every must-include is in the plan; nothing matching an avoided word is;
        - every place has a name and coordinates (lat, lon);
        - kind is activity, food or note.
        """

    /// The first request: system and user messages, temperature 0 (repeatable, and cacheable by the
    /// gateway), the schema as the response format.
    static func request(trip: PlanningTrip, request: PlanRequest, model: String?) -> JSONValue {
        var body: JSONValue = [
            "messages": [
                ["role": "system", "content": .string(system)],
                ["role": "user", "content": .string(String(decoding: context(trip, request).bytes, as: UTF8.self))],
            ],
            "temperature": 0,
            "response_format": [
                "type": "json_schema",
                "json_schema": ["name": .string(schemaName), "strict": true, "schema": schema],
            ],
        ]
        if let model { body.set("model", .string(model)) }
        return body
    }

    /// The conversation so far plus the model's answer and the violations it must repair.
    static func repair(_ previous: JSONValue, answer: String, violations: [String]) -> JSONValue {
        var body = previous
        var messages = previous["messages"]?.arrayValue ?? []
        messages.append(["role": "assistant", "content": .string(answer)])
        let text =
            "Your plan breaks these rules:\n" + violations.map { "- " + $0 }.joined(separator: "\n")
            + "\nAnswer with the whole corrected plan as JSON matching the schema."
        messages.append(["role": "user", "content": .string(text)])
        body.set("messages", .array(messages))
        return body
    }

    static func context(_ trip: PlanningTrip, _ request: PlanRequest) -> JSONValue {
        func place(_ p: PlanPlace?) -> JSONValue {
            guard let p else { return .null }
            return [
                "name": .string(p.name), "lat": p.lat.map(JSONValue.double) ?? .null,
                "lon": p.lon.map(JSONValue.double) ?? .null,
            ]
        }
        func money(_ m: MoneyAmount?) -> JSONValue {
            guard let m else { return .null }
            return ["amount": .int(Int(m.amount)), "currency": .string(m.currency)]
        }
        let scheduled: [JSONValue] = trip.scheduled.map { item in
            [
                "id": .string(item.id), "title": .string(item.title), "kind": .string(item.kind.rawValue),
                "day": item.day.map { .string($0.description) } ?? .null,
                "start_time": item.start.map { .string(PlanningDay.text($0)) } ?? .null,
                "end_time": item.end.map { .string(PlanningDay.text($0)) } ?? .null, "place": place(item.place),
            ]
        }
        let ideas: [JSONValue] = trip.ideas.prefix(maximumIdeas).map { item in
            [
                "id": .string(item.id), "title": .string(item.title), "kind": .string(item.kind.rawValue),
                "place": place(item.place), "cost": money(item.cost),
                "notes": item.notes.map(JSONValue.string) ?? .null,
            ]
        }
        let destination: JSONValue =
            trip.destination.map {
                [
                    "name": .string($0.name), "lat": $0.lat.map(JSONValue.double) ?? .null,
                    "lon": $0.lon.map(JSONValue.double) ?? .null,
                ]
            } ?? .null
        return [
            "trip": [
                "title": .string(trip.title), "start_date": .string(trip.startDate.description),
                "end_date": .string(trip.endDate.description), "timezone": .string(trip.timezone),
                "currency": .string(trip.currency), "destination": destination, "trip_budget": money(trip.budget),
            ],
            "request": [
                "pace": .string(request.pace.rawValue),
                "max_items_per_day": .int(request.pace.maxItemsPerDay),
                "max_walking_km_per_day": .double(request.pace.maxWalkingMeters / 1000),
                "budget": money(request.budget), "interests": .array(request.interests.map(JSONValue.string)),
                "must_include": .array(request.mustInclude.map(JSONValue.string)),
                "avoid": .array(request.avoid.map(JSONValue.string)),
                "days": request.days.map { .array($0.map { .string($0.description) }) } ?? .null,
            ],
            "scheduled_items": .array(scheduled),
            "ideas": .array(ideas),
        ]
    }

    /// The answer's schema. Strict structured output needs every property required and no others, so
    /// optional values are nullable instead.
    static let schema: JSONValue = {
        let nullableString: JSONValue = ["type": ["string", "null"]]
        let nullableNumber: JSONValue = ["type": ["number", "null"]]
        let item: JSONValue = [
            "type": "object", "additionalProperties": false,
            "required": [
                "item_id", "day", "start_time", "end_time", "title", "kind", "place", "cost", "notes", "opening_hours",
            ],
            "properties": [
                "item_id": nullableString,
                "day": ["type": "string", "description": "YYYY-MM-DD"],
                "start_time": ["type": "string", "description": "HH:MM local time"],
                "end_time": ["type": "string", "description": "HH:MM local time"],
                "title": ["type": "string"],
                "kind": ["type": "string", "enum": ["activity", "food", "note"]],
                "place": [
                    "type": ["object", "null"], "additionalProperties": false, "required": ["name", "lat", "lon"],
                    "properties": ["name": ["type": "string"], "lat": nullableNumber, "lon": nullableNumber],
                ],
                "cost": [
                    "type": ["object", "null"], "additionalProperties": false, "required": ["amount", "currency"],
                    "properties": ["amount": ["type": "integer"], "currency": ["type": "string"]],
                ],
                "notes": nullableString,
                "opening_hours": [
                    "type": ["object", "null"], "additionalProperties": false, "required": ["opens", "closes"],
                    "properties": ["opens": ["type": "string"], "closes": ["type": "string"]],
                ],
            ],
        ]
        return [
            "type": "object", "additionalProperties": false, "required": ["items"],
            "properties": ["items": ["type": "array", "items": item]],
        ]
    }()
}
