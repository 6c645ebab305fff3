import Foundation
import Redis
import TestSupport
import Testing

/// The itinerary: days in order with totals and distances, conditional GET, and the Redis copy that
/// every write to the trip makes unreachable at once.
@Suite struct ItineraryTests {
    @Test func daysTotalsDistancesAndRevalidation() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        let belem = ["name": "Belém Tower", "lat": 38.6916, "lon": -9.2160] as [String: Any]
        let jeronimos = ["name": "Jerónimos", "lat": 38.6979, "lon": -9.2068] as [String: Any]
        _ = try TripKit.addItem(
            app, a.accessToken, trip,
            [
                "kind": "activity", "title": "Tower", "day": "2027-05-02", "place": belem,
                "cost": ["amount": 800, "currency": "EUR"],
            ])
        _ = try TripKit.addItem(
            app, a.accessToken, trip, ["kind": "note", "title": "Bring water", "day": "2027-05-02"])
        _ = try TripKit.addItem(
            app, a.accessToken, trip,
            [
                "kind": "activity", "title": "Monastery", "day": "2027-05-02", "place": jeronimos,
                "cost": ["amount": 1200, "currency": "EUR"],
            ])
        _ = try TripKit.addItem(
            app, a.accessToken, trip,
            ["kind": "food", "title": "Pastéis", "day": "2027-05-02", "cost": ["amount": 500, "currency": "USD"]])
        let r = try app.call("GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken)
        #expect(r.status == 200)
        #expect(r.header("Cache-Control") == "private, no-cache")
        let days = try #require(r.json["days"] as? [[String: Any]])
        #expect(days.compactMap { $0["date"] as? String } == (1...7).map { "2027-05-0\($0)" })
        let day = days[1]
        let totals = try #require(day["cost_totals"] as? [[String: Any]])
        #expect(totals.count == 2)
        #expect(totals[0]["currency"] as? String == "EUR" && totals[0]["amount"] as? Int == 2000)
        let items = try #require(day["items"] as? [[String: Any]])
        #expect(items.map { $0["title"] as? String } == ["Tower", "Bring water", "Monastery", "Pastéis"])
        // Straight line Belém Tower → Jerónimos is about 1.05 km; the note in between has no place.
        let leg = try #require(items[2]["distance_from_previous_m"] as? Int)
        #expect((1000...1100).contains(leg))
        #expect(day["distance_m"] as? Int == leg)
        #expect((r.json["trip"] as? [String: Any])?["role"] == nil)

        let etag = try #require(r.header("ETag"))
        let again = try app.call(
            "GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken, headers: ["If-None-Match: \(etag)"])
        #expect(again.status == 304)
        #expect(again.raw.body.isEmpty)
        #expect(again.header("ETag") == etag)
    }

    @Test func everyWriteIsVisibleOnTheVeryNextRead() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        let first = try app.call("GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken)
        var etag = try #require(first.header("ETag"))
        // The read left a copy in Redis, under the trip's version.
        let redis = RedisPool(configuration: try RedisConfiguration(url: try TestServices.redisURL()))
        defer { redis.close() }
        let version = etag.dropFirst(3).dropLast()
        #expect(try redis.get("trips:itinerary:\(trip):\(version)") != nil)
        #expect(try app.call("GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken).raw.body == first.raw.body)

        let writes: [(String, String, [String: Any])] = [
            ("POST", "/v1/trips/\(trip)/items", ["kind": "activity", "title": "Fado night", "day": "2027-05-04"]),
            ("PATCH", "/v1/trips/\(trip)", ["title": "Renamed"]),
            ("POST", "/v1/trips/\(trip)/checklists", ["title": "Pack"]),
        ]
        for (method, path, body) in writes {
            #expect((200...201).contains(try app.call(method, path, json: body, token: a.accessToken).status))
            let next = try app.call(
                "GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken, headers: ["If-None-Match: \(etag)"])
            #expect(next.status == 200, "\(method) \(path) left the itinerary unchanged")
            etag = try #require(next.header("ETag"))
        }
        let last = try app.call("GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken)
        #expect((last.json["trip"] as? [String: Any])?["title"] as? String == "Renamed")
        #expect(last.text.contains("Fado night"))
        // A collaborator's write too.
        let b = try app.register()
        #expect(
            try app.call(
                "POST", "/v1/trips/\(trip)/members", json: ["email": b.email, "role": "editor"], token: a.accessToken
            )
            .status == 201)
        let item = try TripKit.addItem(
            app, b.accessToken, trip, ["kind": "food", "title": "Bifana", "day": "2027-05-05"])
        #expect(try app.call("GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken).text.contains("Bifana"))
        #expect(item["title"] as? String == "Bifana")
    }
}
