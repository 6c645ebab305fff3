import Foundation
import Postgres
import TestSupport
import Testing

/// Items: kinds and their rules, ETags, booking codes sealed at rest, fractional moves, the item
/// limit, and concurrent writers on one day.
@Suite struct ItemTests {
    @Test func crudWithETagsAndSealedCodes() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        let created = try app.call(
            "POST", "/v1/trips/\(trip)/items",
            json: [
                "kind": "lodging", "title": "Hotel Avenida", "day": "2027-05-01", "check_in": "2027-05-01",
                "check_out": "2027-05-07", "confirmation_code": "BK-778899",
                "cost": ["amount": 84_000, "currency": "EUR"],
                "place": ["name": "Avenida", "lat": 38.72, "lon": -9.145, "address": "Av. da Liberdade"],
            ], token: a.accessToken)
        #expect(created.status == 201)
        let id = try #require(created.string("id"))
        #expect(created.string("confirmation_code") == "BK-778899")
        let etag = try #require(created.header("ETag"))

        // Sealed at rest: the column holds no trace of the code.
        let stored = try app.database.pool.query(
            "SELECT confirmation_code FROM trip_items WHERE id = $1", [try #require(UUID(uuidString: id))]
        )[0].decode(0, as: Data.self)
        #expect(stored.range(of: Data("BK-778899".utf8)) == nil)

        let patched = try app.call(
            "PATCH", "/v1/trips/\(trip)/items/\(id)", json: ["notes": "Late check-in", "confirmation_code": NSNull()],
            token: a.accessToken, headers: ["If-Match: \(etag)"])
        #expect(patched.status == 200)
        #expect(patched.json["confirmation_code"] == nil)
        #expect(patched.string("notes") == "Late check-in")
        let stale = try app.call(
            "PATCH", "/v1/trips/\(trip)/items/\(id)", json: ["notes": "x"], token: a.accessToken,
            headers: ["If-Match: \(etag)"])
        #expect(stale.status == 412)
        #expect(
            try app.call(
                "DELETE", "/v1/trips/\(trip)/items/\(id)", token: a.accessToken, headers: ["If-Match: \(etag)"]
            ).status == 412)
        #expect(try app.call("DELETE", "/v1/trips/\(trip)/items/\(id)", token: a.accessToken).status == 204)
        #expect(try app.call("GET", "/v1/trips/\(trip)/items/\(id)", token: a.accessToken).status == 404)
        #expect(try app.call("GET", "/v1/trips/\(trip)", token: a.accessToken).json["item_count"] as? Int == 0)
    }

    @Test func validationNamesEveryBadField() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        let r = try app.call(
            "POST", "/v1/trips/\(trip)/items",
            json: [
                "kind": "activity", "title": "Bad", "day": "2027-06-01", "start_time": "18:00", "end_time": "17:00",
                "place": ["name": "X", "lat": 100, "lon": 0], "url": "javascript:alert(1)", "check_in": "2027-05-02",
                "carrier": "TAP", "cost": ["amount": 5, "currency": "eur"],
            ], token: a.accessToken)
        #expect(r.status == 400)
        #expect(
            AccountKit.errorFields(r) == ["check_in", "cost.currency", "day", "end_time", "mode", "place.lat", "url"])
        let kind = try app.call("POST", "/v1/trips/\(trip)/items", json: ["kind": "party"], token: a.accessToken)
        #expect(AccountKit.errorFields(kind) == ["kind", "title"])
        let mixed = try app.call(
            "POST", "/v1/trips/\(trip)/items",
            json: ["kind": "transport", "title": "Ferry", "starts_at": "2027-05-09T10:00:00Z", "mode": "rocket"],
            token: a.accessToken)
        #expect(AccountKit.errorFields(mixed) == ["mode"])
        let outside = try app.call(
            "POST", "/v1/trips/\(trip)/items",
            json: ["kind": "transport", "title": "Ferry", "starts_at": "2027-05-09T10:00:00Z"], token: a.accessToken)
        #expect(AccountKit.errorFields(outside).contains("starts_at"))
    }

    @Test func movesUseFractionalPositions() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        var ids: [String] = []
        for i in 0..<4 {
            ids.append(
                try #require(
                    try TripKit.addItem(
                        app, a.accessToken, trip, ["kind": "activity", "title": "A\(i)", "day": "2027-05-02"])["id"]
                        as? String))
        }
        #expect(try TripKit.dayOrder(app, a.accessToken, trip, "2027-05-02") == ids)
        // Last to first, then between the first two, then to another day and to the ideas.
        #expect(
            try app.call(
                "POST", "/v1/trips/\(trip)/items/\(ids[3])/move", json: ["day": "2027-05-02"], token: a.accessToken
            ).status == 200)
        #expect(
            try app.call(
                "POST", "/v1/trips/\(trip)/items/\(ids[0])/move", json: ["day": "2027-05-02", "after_id": ids[1]],
                token: a.accessToken
            ).status == 200)
        #expect(try TripKit.dayOrder(app, a.accessToken, trip, "2027-05-02") == [ids[3], ids[1], ids[0], ids[2]])
        let positions = try app.database.pool.query(
            "SELECT id::text, position FROM trip_items WHERE id = ANY($1::uuid[])",
            [ids.compactMap { UUID(uuidString: $0) }]
        ).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
        // Only the moved items got new positions: the others kept theirs.
        #expect(Dictionary(uniqueKeysWithValues: positions)[ids[1]] == "W")
        #expect(
            try app.call(
                "POST", "/v1/trips/\(trip)/items/\(ids[2])/move", json: ["day": NSNull()], token: a.accessToken
            ).status == 200)
        let bad = try app.call(
            "POST", "/v1/trips/\(trip)/items/\(ids[1])/move", json: ["day": "2027-05-03", "after_id": ids[3]],
            token: a.accessToken)
        #expect(bad.status == 422)
        #expect(
            try app.call(
                "POST", "/v1/trips/\(trip)/items/\(ids[1])/move", json: [:] as [String: Any], token: a.accessToken
            ).status == 400)
        let itinerary = try app.call("GET", "/v1/trips/\(trip)/itinerary", token: a.accessToken)
        #expect((itinerary.json["unscheduled"] as? [[String: Any]])?.first?["id"] as? String == ids[2])
    }

    @Test func concurrentCreatesAndMovesKeepAConsistentOrder() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        let seed = try (0..<10).map { i in
            try #require(
                try TripKit.addItem(
                    app, a.accessToken, trip, ["kind": "activity", "title": "seed \(i)", "day": "2027-05-03"])["id"]
                    as? String)
        }
        let statuses = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 100) { i in
            let r: APIResponse?
            if i % 2 == 0 {
                r = try? app.call(
                    "POST", "/v1/trips/\(trip)/items",
                    json: ["kind": "food", "title": "new \(i)", "day": "2027-05-03"],
                    token: a.accessToken)
            } else {
                let mover = seed[i % seed.count]
                let anchor = seed[(i * 7 + 3) % seed.count]
                r = try? app.call(
                    "POST", "/v1/trips/\(trip)/items/\(mover)/move",
                    json: anchor == mover ? ["day": "2027-05-03"] : ["day": "2027-05-03", "after_id": anchor],
                    token: a.accessToken)
            }
            statuses.withLock { $0.append(r?.status ?? 0) }
        }
        #expect(statuses.withLock { $0 }.allSatisfy { $0 == 200 || $0 == 201 }, "\(statuses.withLock { $0 })")
        let order = try TripKit.dayOrder(app, a.accessToken, trip, "2027-05-03")
        #expect(order.count == 60)
        #expect(Set(order).count == 60)
        let positions = try app.database.pool.query(
            "SELECT position FROM trip_items WHERE trip_id = $1 AND day = '2027-05-03' ORDER BY position",
            [try #require(UUID(uuidString: trip))]
        ).map { try $0.decode(0, as: String.self) }
        #expect(Set(positions).count == 60)
        #expect(try app.call("GET", "/v1/trips/\(trip)", token: a.accessToken).json["item_count"] as? Int == 60)
    }

    @Test func atMost2000Items() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        try app.database.pool.execute(
            "UPDATE trips SET item_count = 1999 WHERE id = $1", [try #require(UUID(uuidString: trip))])
        _ = try TripKit.addItem(app, a.accessToken, trip, ["kind": "note", "title": "the 2000th"])
        let over = try app.call(
            "POST", "/v1/trips/\(trip)/items", json: ["kind": "note", "title": "one too many"], token: a.accessToken)
        #expect(over.status == 409)
    }
}
