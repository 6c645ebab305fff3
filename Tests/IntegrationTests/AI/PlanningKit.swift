import Foundation
import TestSupport
import Testing

/// Shortcuts for the planning suites: a Lisbon trip with a crew, ideas around Belém and Baixa and
/// one item already on the first day; generate-and-wait.
enum PlanningKit {
    struct Setup {
        var crew: TripKit.Crew
        /// Idea ids by title.
        var ideas: [String: String]
        var booked: String
    }

    static let ideaPlaces: [(String, String, Double, Double)] = [
        ("Belém Tower", "activity", 38.6916, -9.2160),
        ("Jerónimos Monastery", "activity", 38.6979, -9.2068),
        ("Pastéis de Belém", "food", 38.6975, -9.2032),
        ("Praça do Comércio", "activity", 38.7075, -9.1364),
        ("Time Out Market", "food", 38.7069, -9.1459),
        ("Casino Lisboa", "activity", 38.7683, -9.0944),
    ]

    static func setup(_ app: AuthApp) throws -> Setup {
        let crew = try TripKit.crew(app)
        var ideas: [String: String] = [:]
        for (title, kind, lat, lon) in ideaPlaces {
            let item = try TripKit.addItem(
                app, crew.owner.accessToken, crew.trip,
                ["kind": kind, "title": title, "place": ["name": title, "lat": lat, "lon": lon]])
            ideas[title] = item["id"] as? String
        }
        let booked = try TripKit.addItem(
            app, crew.owner.accessToken, crew.trip,
            [
                "kind": "activity", "title": "São Jorge Castle tour", "day": "2027-05-01", "start_time": "10:00",
                "end_time": "11:30", "place": ["name": "São Jorge Castle", "lat": 38.7139, "lon": -9.1335],
            ])
        return Setup(crew: crew, ideas: ideas, booked: booked["id"] as? String ?? "")
    }

    static var request: [String: Any] {
        [
            "pace": "normal", "interests": ["history"], "avoid": ["casino"], "must_include": ["Belém Tower"],
            "days": ["2027-05-01", "2027-05-02"], "budget": ["amount": 5000, "currency": "EUR"],
        ]
    }

    /// Generates and waits for the job; returns the job's final view.
    static func generate(
        _ app: AuthApp, _ token: String, trip: String, body: [String: Any] = request, headers: [String] = []
    ) throws -> [String: Any] {
        let r = try app.call("POST", "/v1/trips/\(trip)/itinerary/generate", json: body, token: token, headers: headers)
        guard r.status == 202, let location = r.header("Location") else {
            throw TestFailure("generate: \(r.status) \(r.text)")
        }
        return try wait(app, token, location)
    }

    static func wait(_ app: AuthApp, _ token: String, _ location: String) throws -> [String: Any] {
        var last: [String: Any] = [:]
        let done = try eventually(seconds: 30) {
            let view = try app.call("GET", location, token: token)
            guard view.status == 200 else { throw TestFailure("\(location): \(view.status) \(view.text)") }
            last = view.json
            return ["completed", "discarded", "cancelled"].contains(view.string("state") ?? "")
        }
        guard done else { throw TestFailure("\(location) never finished: \(last)") }
        return last
    }

    /// The proposal a finished job points at.
    static func proposal(_ app: AuthApp, _ token: String, job: [String: Any]) throws -> [String: Any] {
        guard let url = job["result_url"] as? String else { throw TestFailure("no result: \(job)") }
        let r = try app.call("GET", url, token: token)
        guard r.status == 200 else { throw TestFailure("\(url): \(r.status) \(r.text)") }
        return r.json
    }

    static func itinerary(_ app: AuthApp, _ token: String, _ trip: String) throws -> APIResponse {
        let r = try app.call("GET", "/v1/trips/\(trip)/itinerary", token: token)
        guard r.status == 200 else { throw TestFailure("itinerary: \(r.status) \(r.text)") }
        return r
    }

    static func items(_ app: AuthApp, _ token: String, _ trip: String) throws -> [String: [String: Any]] {
        let r = try app.call("GET", "/v1/trips/\(trip)/items?limit=100", token: token)
        let list = r.json["data"] as? [[String: Any]] ?? []
        return Dictionary(
            list.compactMap { i in (i["id"] as? String).map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
    }
}
