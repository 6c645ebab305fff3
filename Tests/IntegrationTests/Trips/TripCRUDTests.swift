import Foundation
import Postgres
import TestSupport
import Testing
import Trips

/// Trips themselves: creation and validation, reads, conditional updates, listing, trash and restore,
/// duplication.
@Suite struct TripCRUDTests {
    @Test func createReadPatchWithETags() throws {
        let app = try AuthApp()
        let a = try app.register()
        let created = try app.call("POST", "/v1/trips", json: TripKit.tripBody(), token: a.accessToken)
        #expect(created.status == 201)
        let id = try #require(created.string("id"))
        #expect(created.header("Location") == "/v1/trips/\(id)")
        #expect(created.string("role") == "owner")
        #expect((created.json["destination"] as? [String: Any])?["country_code"] as? String == "PT")
        let etag = try #require(created.header("ETag"))

        let read = try app.call("GET", "/v1/trips/\(id)", token: a.accessToken)
        #expect(read.status == 200)
        #expect(read.header("ETag") == etag)
        #expect(
            try app.call("GET", "/v1/trips/\(id)", token: a.accessToken, headers: ["If-None-Match: \(etag)"]).status
                == 304)

        let patched = try app.call(
            "PATCH", "/v1/trips/\(id)", json: ["title": "Lisbon & Sintra", "description": NSNull()],
            token: a.accessToken,
            headers: ["If-Match: \(etag)"])
        #expect(patched.status == 200)
        #expect(patched.string("title") == "Lisbon & Sintra")
        #expect(patched.string("currency") == "EUR")
        let newTag = try #require(patched.header("ETag"))
        #expect(newTag != etag)

        // The old ETag is stale now: 412, and nothing changes.
        let stale = try app.call(
            "PATCH", "/v1/trips/\(id)", json: ["title": "Lost update"], token: a.accessToken,
            headers: ["If-Match: \(etag)"])
        #expect(stale.status == 412)
        #expect(stale.header("Content-Type") == "application/problem+json")
        #expect(try app.call("GET", "/v1/trips/\(id)", token: a.accessToken).string("title") == "Lisbon & Sintra")
        #expect(
            try app.call(
                "PATCH", "/v1/trips/\(id)", json: ["title": "x"], token: a.accessToken, headers: ["If-Match: \"bogus\""]
            )
            .status == 412)
    }

    @Test func validationNamesEveryBadField() throws {
        let app = try AuthApp()
        let a = try app.register()
        let r = try app.call(
            "POST", "/v1/trips",
            json: [
                "title": "  ", "start_date": "2027-05-10", "end_date": "2027-05-01", "timezone": "Mars/Olympus",
                "currency": "EURO", "destination": ["name": "X", "lat": 91, "lon": -181, "country_code": "PRT"],
                "budget": ["amount": -5, "currency": "XXXX"],
            ], token: a.accessToken)
        #expect(r.status == 400)
        #expect(
            AccountKit.errorFields(r) == [
                "budget.amount", "budget.currency", "currency", "destination.country_code", "destination.lat",
                "destination.lon", "end_date", "timezone", "title",
            ])
        let missing = try app.call("POST", "/v1/trips", json: ["title": "t"], token: a.accessToken)
        #expect(AccountKit.errorFields(missing) == ["currency", "end_date", "start_date", "timezone"])
        let long = try app.call(
            "POST", "/v1/trips", json: TripKit.tripBody(start: "2027-01-01", end: "2028-01-02"), token: a.accessToken)
        #expect(AccountKit.errorFields(long) == ["end_date"])
        let wrongType = try app.call("POST", "/v1/trips", json: ["title": 5], token: a.accessToken)
        #expect(wrongType.status == 400)
    }

    @Test func listFiltersSortsAndPages() throws {
        let app = try AuthApp()
        let a = try app.register()
        let b = try app.register()
        var ids: [String] = []
        for i in 0..<5 {
            ids.append(
                try TripKit.createTrip(
                    app, a.accessToken,
                    TripKit.tripBody(title: "Trip \(i)", start: "2027-0\(5 - i)-01", end: "2027-0\(5 - i)-03")))
        }
        let shared = try TripKit.createTrip(app, b.accessToken, TripKit.tripBody(title: "Porto with friends"))
        #expect(
            try app.call(
                "POST", "/v1/trips/\(shared)/members", json: ["email": a.email, "role": "viewer"], token: b.accessToken
            ).status == 201)

        // Newest first, across pages.
        var seen: [String] = []
        var cursor: String?
        repeat {
            let r = try app.call(
                "GET", "/v1/trips?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: a.accessToken)
            #expect(r.status == 200)
            seen += (r.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = r.json["next_cursor"] as? String
        } while cursor != nil
        #expect(seen == [shared] + ids.reversed())

        let byStart = try app.call("GET", "/v1/trips?sort=start_date&role=owner", token: a.accessToken)
        #expect((byStart.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids.reversed())
        let porto = try app.call("GET", "/v1/trips?q=porto", token: a.accessToken)
        #expect((porto.json["data"] as? [[String: Any]])?.first?["role"] as? String == "viewer")
        let window = try app.call("GET", "/v1/trips?from=2027-02-02&to=2027-03-01&role=owner", token: a.accessToken)
        #expect((window.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[3], ids[2]])
        let wild = try app.call("GET", "/v1/trips?q=%25", token: a.accessToken)
        #expect((wild.json["data"] as? [[String: Any]])?.isEmpty == true)

        // Cursors are checked: tampered or from another sort order → 400.
        let first = try app.call("GET", "/v1/trips?limit=1", token: a.accessToken)
        let c = try #require(first.json["next_cursor"] as? String)
        #expect(try app.call("GET", "/v1/trips?cursor=\(c)x", token: a.accessToken).status == 400)
        #expect(try app.call("GET", "/v1/trips?sort=start_date&cursor=\(c)", token: a.accessToken).status == 400)
        #expect(try app.call("GET", "/v1/trips?limit=0&role=boss&from=2027-13-01", token: a.accessToken).status == 400)
    }

    @Test func deleteRestoreAndPurge() throws {
        let app = try AuthApp()
        let a = try app.register()
        let id = try TripKit.createTrip(app, a.accessToken)
        #expect(try app.call("DELETE", "/v1/trips/\(id)", token: a.accessToken).status == 204)
        #expect(try app.call("GET", "/v1/trips/\(id)", token: a.accessToken).status == 404)
        let trash = try app.call("GET", "/v1/trips?deleted=true", token: a.accessToken)
        #expect((trash.json["data"] as? [[String: Any]])?.first?["id"] as? String == id)
        let restored = try app.call("POST", "/v1/trips/\(id)/restore", token: a.accessToken)
        #expect(restored.status == 200)
        #expect(try app.call("GET", "/v1/trips/\(id)", token: a.accessToken).status == 200)

        // Past 30 days in the trash, the purge removes it for good.
        #expect(try app.call("DELETE", "/v1/trips/\(id)", token: a.accessToken).status == 204)
        try app.database.pool.execute(
            "UPDATE trips SET deleted_at = now() - interval '31 days' WHERE id = $1",
            [try #require(UUID(uuidString: id))])
        #expect(try app.call("POST", "/v1/trips/\(id)/restore", token: a.accessToken).status == 404)
        #expect(try app.trips.service.purgeDeletedTrips() == 1)
        #expect(
            try app.database.pool.query("SELECT 1 FROM trips WHERE id = $1", [try #require(UUID(uuidString: id))]).count
                == 0)
    }

    @Test func duplicateShiftsDatesAndDropsPrivateThings() throws {
        let app = try AuthApp()
        let a = try app.register()
        let id = try TripKit.createTrip(app, a.accessToken)
        _ = try TripKit.addItem(
            app, a.accessToken, id,
            [
                "kind": "activity", "title": "Tram 28", "day": "2027-05-02", "start_time": "10:00",
                "confirmation_code": "ABC123",
            ])
        _ = try TripKit.addItem(
            app, a.accessToken, id,
            [
                "kind": "transport", "title": "Night train", "starts_at": "2027-05-03T22:00:00+01:00",
                "ends_at": "2027-05-04T08:00:00+01:00", "mode": "train",
            ])
        let list = try app.call(
            "POST", "/v1/trips/\(id)/checklists", json: ["title": "Pack", "items": ["Passport", "Charger"]],
            token: a.accessToken)
        #expect(list.status == 201)
        let copy = try app.call(
            "POST", "/v1/trips/\(id)/duplicate", json: ["start_date": "2027-10-11"], token: a.accessToken)
        #expect(copy.status == 201)
        #expect(copy.string("end_date") == "2027-10-17")
        let copyID = try #require(copy.string("id"))
        let items =
            try app.call("GET", "/v1/trips/\(copyID)/items", token: a.accessToken).json["data"] as? [[String: Any]]
            ?? []
        #expect(items.count == 2)
        #expect(items.first?["day"] as? String == "2027-10-12")
        #expect(items.first?["confirmation_code"] == nil)
        #expect(items.last?["starts_at"] as? String == "2027-10-13T21:00:00.000Z")
        let lists =
            try app.call("GET", "/v1/trips/\(copyID)/checklists", token: a.accessToken).json["data"] as? [[String: Any]]
        #expect((lists?.first?["items"] as? [[String: Any]])?.count == 2)
    }
}
