import Foundation
import Testing

/// Shortcuts for the Trips suites: a trip with members in each role, JSON access helpers.
enum TripKit {
    static var lisbon: [String: Any] { ["name": "Lisbon", "lat": 38.7223, "lon": -9.1393, "country_code": "pt"] }

    static func tripBody(
        title: String = "Lisbon week", start: String = "2027-05-01", end: String = "2027-05-07",
        currency: String = "EUR"
    ) -> [String: Any] {
        [
            "title": title, "start_date": start, "end_date": end, "timezone": "Europe/Lisbon", "currency": currency,
            "destination": lisbon, "budget": ["amount": 150_000, "currency": currency],
        ]
    }

    /// Creates a trip; returns its id.
    static func createTrip(_ app: AuthApp, _ token: String, _ body: [String: Any] = tripBody()) throws -> String {
        let r = try app.call("POST", "/v1/trips", json: body, token: token)
        guard r.status == 201, let id = r.string("id") else { throw TestFailure("create trip \(r.status): \(r.text)") }
        return id
    }

    static func addItem(_ app: AuthApp, _ token: String, _ trip: String, _ body: [String: Any]) throws -> [String: Any]
    {
        let r = try app.call("POST", "/v1/trips/\(trip)/items", json: body, token: token)
        guard r.status == 201 else { throw TestFailure("add item \(r.status): \(r.text)") }
        return r.json
    }

    /// A 12.00 EUR taxi the owner paid, split equally with the editor.
    static func taxi(_ crew: Crew, description: String = "Taxi") -> [String: Any] {
        [
            "description": description, "amount": 1200, "currency": "EUR", "paid_by": crew.owner.id,
            "split": ["type": "equal", "among": [crew.owner.id, crew.editor.id]], "category": "transport",
            "date": "2027-05-02",
        ]
    }

    /// A trip owned by `owner` with an editor and a viewer already in.
    struct Crew {
        var owner: Account
        var editor: Account
        var viewer: Account
        var stranger: Account
        var trip: String
    }

    static func crew(_ app: AuthApp) throws -> Crew {
        let owner = try app.register(name: "Owner")
        let editor = try app.register(name: "Editor")
        let viewer = try app.register(name: "Viewer")
        let stranger = try app.register(name: "Stranger")
        let trip = try createTrip(app, owner.accessToken)
        for (who, role) in [(editor, "editor"), (viewer, "viewer")] {
            let r = try app.call(
                "POST", "/v1/trips/\(trip)/members", json: ["email": who.email, "role": role], token: owner.accessToken)
            guard r.status == 201 else { throw TestFailure("invite \(r.status): \(r.text)") }
        }
        return Crew(owner: owner, editor: editor, viewer: viewer, stranger: stranger, trip: trip)
    }

    /// The ids of the items of `day` in the itinerary, in order.
    static func dayOrder(_ app: AuthApp, _ token: String, _ trip: String, _ day: String) throws -> [String] {
        let r = try app.call("GET", "/v1/trips/\(trip)/itinerary", token: token)
        guard r.status == 200, let days = r.json["days"] as? [[String: Any]] else {
            throw TestFailure("itinerary \(r.status): \(r.text)")
        }
        let items = days.first { $0["date"] as? String == day }?["items"] as? [[String: Any]] ?? []
        return items.compactMap { $0["id"] as? String }
    }
}
