import Foundation
import TestSupport
import Testing

/// Route optimisation over the API: never a longer day, timed items keep their order, lodging
/// anchors the ends, a dry run changes nothing.
@Suite struct OptimizeTests {
    @Test func shortensTheWalkAndNeverLengthens() throws {
        let app = try AuthApp()
        let a = try app.register()
        let t = try TripKit.createTrip(app, a.accessToken)
        _ = try TripKit.addItem(
            app, a.accessToken, t,
            [
                "kind": "lodging", "title": "Hotel", "check_in": "2027-05-01", "check_out": "2027-05-07",
                "place": ["name": "Hotel", "lat": 38.7100, "lon": -9.1400],
            ])
        // Points along a line east of the hotel, given zig-zag.
        let east = [3, 1, 4, 2, 5]
        var ids: [Int: String] = [:]
        for k in east {
            let item = try TripKit.addItem(
                app, a.accessToken, t,
                [
                    "kind": "activity", "title": "Stop \(k)", "day": "2027-05-03",
                    "place": ["name": "S\(k)", "lat": 38.7100, "lon": -9.1400 + Double(k) * 0.01],
                ])
            ids[k] = item["id"] as? String
        }
        _ = try TripKit.addItem(app, a.accessToken, t, ["kind": "note", "title": "No place", "day": "2027-05-03"])
        let before = try TripKit.dayOrder(app, a.accessToken, t, "2027-05-03")
        let dry = try app.call(
            "POST", "/v1/trips/\(t)/days/2027-05-03/optimize", json: ["dry_run": true], token: a.accessToken)
        #expect(dry.status == 200)
        #expect(dry.json["applied"] as? Bool == false)
        #expect(try TripKit.dayOrder(app, a.accessToken, t, "2027-05-03") == before)
        let distanceBefore = try #require(dry.json["distance_before_m"] as? Int)
        let distanceAfter = try #require(dry.json["distance_after_m"] as? Int)
        #expect(distanceAfter < distanceBefore)

        let applied = try app.call("POST", "/v1/trips/\(t)/days/2027-05-03/optimize", token: a.accessToken)
        #expect(applied.json["applied"] as? Bool == true)
        let after = try TripKit.dayOrder(app, a.accessToken, t, "2027-05-03")
        #expect(after == applied.json["order"] as? [String])
        // Out from the hotel and back: 1…5 or 5…1, the note keeping its slot at the end.
        let located = after.dropLast()
        #expect(
            Array(located) == [1, 2, 3, 4, 5].compactMap { ids[$0] }
                || Array(located) == [5, 4, 3, 2, 1].compactMap { ids[$0] })
        #expect(after.last == before.last)
        // Optimal already: running it again changes nothing and never lengthens.
        let again = try app.call("POST", "/v1/trips/\(t)/days/2027-05-03/optimize", token: a.accessToken)
        #expect(again.json["applied"] as? Bool == false)
        #expect((again.json["distance_after_m"] as? Int ?? .max) <= (again.json["distance_before_m"] as? Int ?? 0))
        #expect(try app.call("POST", "/v1/trips/\(t)/days/2027-06-03/optimize", token: a.accessToken).status == 404)
    }

    @Test func timedItemsKeepTheirOrder() throws {
        let app = try AuthApp()
        let a = try app.register()
        let t = try TripKit.createTrip(app, a.accessToken)
        let far =
            try TripKit.addItem(
                app, a.accessToken, t,
                [
                    "kind": "activity", "title": "Far, 9:00", "day": "2027-05-04", "start_time": "09:00",
                    "place": ["name": "F", "lat": 38.80, "lon": -9.10],
                ])["id"] as? String
        let near =
            try TripKit.addItem(
                app, a.accessToken, t,
                [
                    "kind": "activity", "title": "Near, 15:00", "day": "2027-05-04", "start_time": "15:00",
                    "place": ["name": "N", "lat": 38.71, "lon": -9.14],
                ])["id"] as? String
        _ = try TripKit.addItem(
            app, a.accessToken, t,
            [
                "kind": "food", "title": "Lunch", "day": "2027-05-04",
                "place": ["name": "L", "lat": 38.75, "lon": -9.12],
            ])
        let r = try app.call("POST", "/v1/trips/\(t)/days/2027-05-04/optimize", token: a.accessToken)
        #expect(r.status == 200)
        let order = try #require(r.json["order"] as? [String])
        let f = try #require(order.firstIndex { $0 == far })
        let n = try #require(order.firstIndex { $0 == near })
        #expect(f < n)
        #expect((r.json["distance_after_m"] as? Int ?? .max) <= (r.json["distance_before_m"] as? Int ?? 0))
    }
}
