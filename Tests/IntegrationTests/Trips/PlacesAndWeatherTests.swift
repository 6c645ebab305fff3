import Foundation
import Kernel
import TestSupport
import Testing

/// Place search (the shipped gazetteer; a Nominatim server with a Redis cache) and weather (an
/// Open-Meteo server), against local servers speaking their wire formats.
@Suite struct PlacesAndWeatherTests {
    @Test func gazetteerFindsLisbonOffline() throws {
        let app = try AuthApp()
        let a = try app.register()
        let r = try app.call("GET", "/v1/places/search?q=lisbon&limit=3", token: a.accessToken)
        #expect(r.status == 200)
        #expect(r.string("source") == "geonames")
        let first = try #require((r.json["data"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "Lisbon")
        #expect(first["country_code"] as? String == "PT")
        #expect(first["timezone"] as? String == "Europe/Lisbon")
        #expect((first["provider_ref"] as? String)?.hasPrefix("geonames:") == true)
        #expect(r.string("attribution")?.contains("GeoNames") == true)
        let near = try app.call("GET", "/v1/places/search?q=portland&near=45.5,-122.6&limit=1", token: a.accessToken)
        #expect((near.json["data"] as? [[String: Any]])?.first?["country_code"] as? String == "US")
        #expect(try app.call("GET", "/v1/places/search?q=lisbon&near=91,0&limit=0", token: a.accessToken).status == 400)
        #expect(try app.call("GET", "/v1/places/search?q=lisbon").status == 401)
    }

    @Test func nominatimAnswersAreCachedAndOutlastAnOutage() throws {
        let stub = try ProviderStub()
        let app = try AuthApp { c in
            c.trips.placesProvider = .nominatim
            c.trips.nominatimURL = stub.url
            c.trips.providerTimeout = .seconds(2)
        }
        let a = try app.register()
        let q = "Lisbon \(UUID().uuidString.prefix(6))"
        let path = "/v1/places/search?q=\(q.replacingOccurrences(of: " ", with: "%20"))"
        let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let first = try app.call("GET", path, token: a.accessToken, headers: ["traceparent: \(trace)"])
        #expect(first.status == 200)
        #expect(stub.lastTraceparent.withLock { $0 } == trace)
        #expect(first.json["cached"] as? Bool == false)
        let hit = try #require((first.json["data"] as? [[String: Any]])?.first)
        #expect(hit["name"] as? String == "Lisboa")
        #expect(hit["provider_ref"] as? String == "osm:relation:5400890")
        #expect(hit["country_code"] as? String == "PT")
        #expect(first.string("attribution")?.contains("OpenStreetMap") == true)
        let second = try app.call("GET", path, token: a.accessToken)
        #expect(second.json["cached"] as? Bool == true)
        #expect(stub.searches.withLock { $0 } == 1)

        // The provider goes down: what was asked before is still served; anything new is a 503.
        stub.stop()
        #expect(try app.call("GET", path, token: a.accessToken).status == 200)
        let fresh = try app.call("GET", "/v1/places/search?q=Porto", token: a.accessToken)
        #expect(fresh.status == 503)
        #expect(fresh.header("Content-Type") == "application/problem+json")
        #expect(fresh.header("Retry-After") != nil)
    }

    @Test func weatherForTheTripsDates() throws {
        let stub = try ProviderStub()
        let app = try AuthApp { c in
            c.trips.weatherURL = stub.url
            c.trips.providerTimeout = .seconds(2)
        }
        let a = try app.register()
        // A trip starting tomorrow and running three weeks: the last days are past the horizon.
        let today = CalendarDateText.today(offset: 1)
        let end = CalendarDateText.today(offset: 21)
        // Somewhere of its own, so no earlier run's cached forecast (Redis outlives test runs) answers.
        var body = TripKit.tripBody(start: today, end: end)
        body["destination"] = [
            "name": "Here", "lat": Double.random(in: -60...60), "lon": Double.random(in: -170...170),
        ]
        let trip = try TripKit.createTrip(app, a.accessToken, body)
        let r = try app.call("GET", "/v1/trips/\(trip)/weather", token: a.accessToken)
        #expect(r.status == 200)
        let days = try #require(r.json["days"] as? [[String: Any]])
        #expect(days.count == 21)
        #expect(days.first?["available"] as? Bool == true)
        #expect(days.first?["summary"] as? String == "Overcast")
        #expect(days.first?["temperature_max_c"] as? Double == 24.1)
        #expect(days.last?["available"] as? Bool == false)
        #expect(days.last?["temperature_max_c"] == nil)
        #expect(try app.call("GET", "/v1/trips/\(trip)/weather", token: a.accessToken).json["cached"] as? Bool == true)
        #expect(stub.forecasts.withLock { $0 } == 1)

        // No coordinates: an honest 422. Provider down and nothing cached: an honest 503.
        let nowhere = try TripKit.createTrip(
            app, a.accessToken,
            ["title": "Somewhere", "start_date": today, "end_date": end, "timezone": "UTC", "currency": "EUR"])
        #expect(try app.call("GET", "/v1/trips/\(nowhere)/weather", token: a.accessToken).status == 422)
        stub.stop()
        let other = try TripKit.createTrip(
            app, a.accessToken, TripKit.tripBody(start: today, end: CalendarDateText.today(offset: 3)))
        let down = try app.call("GET", "/v1/trips/\(other)/weather", token: a.accessToken)
        #expect(down.status == 503)
    }
}

enum CalendarDateText {
    /// Today plus `offset` days in Lisbon, as YYYY-MM-DD.
    static func today(offset: Int) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Europe/Lisbon")
        return f.string(from: Date() + Double(offset) * 86_400)
    }
}
