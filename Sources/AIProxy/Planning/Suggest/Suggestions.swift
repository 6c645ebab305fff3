import Foundation
import HTTP
import Kernel
import Trips

/// `POST /v1/ai/suggest` body.
struct SuggestInput: Decodable, Sendable {
    var tripId: String?
    var day: String?
}

/// One quick idea for a trip or a day.
struct Suggestion: Codable, Sendable, Equatable {
    var title: String
    var kind: String
    var place: PlanPlace?
    var reason: String
}

struct SuggestionsView: Encodable, Sendable {
    var tripId: String
    var day: CalendarDate?
    var model: String?
    var suggestions: [Suggestion]
}

/// A few quick suggestions from the model, synchronously, for any member of the trip. Temperature 0,
/// so the gateway answers the same question from its cache. Never a made-up answer: without a
/// provider, 503.
struct Suggestions {
    static let maximum = 5

    let trips: TripService
    let models: any ChatCompleting

    func suggest(_ input: SuggestInput, _ principal: Principal) throws -> SuggestionsView {
        var errors: [HTTPError.FieldError] = []
        let tripID = input.tripId.flatMap(UUID.init(uuidString:))
        if tripID == nil { errors.append(.init(field: "trip_id", message: "is required and must be a trip id")) }
        let day = input.day.flatMap(CalendarDate.init)
        if input.day != nil && day == nil {
            errors.append(.init(field: "day", message: "must be a date as YYYY-MM-DD"))
        }
        guard let tripID, errors.isEmpty else { throw HTTPError.invalid(errors) }
        let trip = PlanningTrip(try trips.itineraryView(tripID, principal))
        if let day, day < trip.startDate || day > trip.endDate {
            throw HTTPError.invalid([
                .init(field: "day", message: "must be a day of the trip (\(trip.startDate) to \(trip.endDate))")
            ])
        }
        guard models.isConfigured else { throw GatewayError.noProvider.problem() }
        let completion: JSONValue
        do {
            completion = try models.complete(request(trip, day), for: AICaller(principal, tripID: tripID))
        } catch {
            throw Self.problem(error)
        }
        let suggestions: [Suggestion]
        let model: String?
        do {
            let (text, answeredBy) = try ModelReply.text(completion)
            model = answeredBy
            suggestions = try Self.parse(text)
        } catch {
            throw HTTPError(.badGateway, detail: "The model's answer could not be read.")
        }
        return SuggestionsView(tripId: trip.id, day: day, model: model, suggestions: suggestions)
    }

    /// The gateway's own problem for the caller's errors (budgets, provider failures); a request the
    /// server itself built being refused (its configured model unknown, a field rejected) is a 502,
    /// not the caller's 404 or 400.
    static func problem(_ error: GatewayError) -> HTTPError {
        switch error {
        case .unknownModel, .invalidRequest:
            var p = HTTPError(.badGateway, detail: "The AI model configured for suggestions refused the request.")
            OpenAIError.attach(to: &p, code: "upstream_rejected")
            return p
        default:
            return error.problem()
        }
    }

    static func parse(_ text: String) throws -> [Suggestion] {
        let value = try JSONValue(parsing: text)
        guard let list = value["suggestions"]?.arrayValue else { throw ModelReply.Unreadable(description: "no list") }
        return list.prefix(maximum).compactMap { v in
            guard let title = v["title"]?.stringValue, !title.isEmpty else { return nil }
            var place: PlanPlace?
            if let p = v["place"], let name = p["name"]?.stringValue {
                place = PlanPlace(name: name, lat: p["lat"]?.doubleValue, lon: p["lon"]?.doubleValue)
            }
            return Suggestion(
                title: title, kind: v["kind"]?.stringValue ?? "activity", place: place,
                reason: v["reason"]?.stringValue ?? "")
        }
    }

    func request(_ trip: PlanningTrip, _ day: CalendarDate?) -> JSONValue {
        var context = PlanPrompt.context(trip, PlanRequest(days: day.map { [$0] }))
        context.set("focus_day", day.map { .string($0.description) } ?? .null)
        let place: JSONValue = [
            "type": ["object", "null"], "additionalProperties": false, "required": ["name", "lat", "lon"],
            "properties": [
                "name": ["type": "string"], "lat": ["type": ["number", "null"]], "lon": ["type": ["number", "null"]],
            ],
        ]
        let schema: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["suggestions"],
            "properties": [
                "suggestions": [
                    "type": "array", "maxItems": .int(Self.maximum),
                    "items": [
                        "type": "object", "additionalProperties": false,
                        "required": ["title", "kind", "place", "reason"],
                        "properties": [
                            "title": ["type": "string"], "kind": ["type": "string", "enum": ["activity", "food"]],
                            "place": place, "reason": ["type": "string"],
                        ],
                    ],
                ]
            ],
        ]
        let system = """
            You suggest things to do on a trip. Answer with JSON only: up to \(Self.maximum) suggestions that are \
            not already in the trip, near its destination (or near the focus day's places), each with a one-line reason.
            """
        return [
            "messages": [
                ["role": "system", "content": .string(system)],
                ["role": "user", "content": .string(String(decoding: context.bytes, as: UTF8.self))],
            ],
            "temperature": 0,
            "response_format": [
                "type": "json_schema", "json_schema": ["name": "trip_suggestions", "strict": true, "schema": schema],
            ],
        ]
    }
}
