import Foundation
import TestSupport
import Testing

/// `Idempotency-Key` on Trips' POSTs: a mobile client retrying on a bad network never creates a trip
/// or an expense twice.
@Suite struct TripIdempotencyTests {
    @Test func replayMismatchAndScope() throws {
        let app = try AuthApp()
        let a = try app.register()
        let key = "Idempotency-Key: trip-\(UUID().uuidString)"
        let first = try app.call("POST", "/v1/trips", json: TripKit.tripBody(), token: a.accessToken, headers: [key])
        #expect(first.status == 201)
        let again = try app.call("POST", "/v1/trips", json: TripKit.tripBody(), token: a.accessToken, headers: [key])
        #expect(again.status == 201)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(again.string("id") == first.string("id"))
        #expect(again.header("ETag") == first.header("ETag"))
        let list = try app.call("GET", "/v1/trips", token: a.accessToken)
        #expect((list.json["data"] as? [[String: Any]])?.count == 1)

        // Same key, different body: refused, nothing created.
        let other = try app.call(
            "POST", "/v1/trips", json: TripKit.tripBody(title: "Other"), token: a.accessToken, headers: [key])
        #expect(other.status == 422)

        // The key belongs to the user, not to one access token: after a refresh it still replays.
        let refreshed = try app.call("POST", "/v1/auth/refresh", json: ["refresh_token": a.refreshToken])
        let token = try #require(refreshed.string("access_token"))
        let afterRefresh = try app.call("POST", "/v1/trips", json: TripKit.tripBody(), token: token, headers: [key])
        #expect(afterRefresh.string("id") == first.string("id"))

        // Another user's identical key is theirs alone.
        let b = try app.register()
        let theirs = try app.call("POST", "/v1/trips", json: TripKit.tripBody(), token: b.accessToken, headers: [key])
        #expect(theirs.status == 201)
        #expect(theirs.string("id") != first.string("id"))
    }

    @Test func expensesAreNotDoubled() throws {
        let app = try AuthApp()
        let a = try app.register()
        let trip = try TripKit.createTrip(app, a.accessToken)
        let payer = a.id
        let statuses = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let r = try? app.call(
                "POST", "/v1/trips/\(trip)/expenses",
                json: [
                    "description": "Dinner", "amount": 4500, "currency": "EUR", "paid_by": payer,
                    "split": ["type": "equal", "among": [payer]], "category": "food", "date": "2027-05-02",
                ], token: a.accessToken, headers: ["Idempotency-Key: dinner-1"])
            statuses.withLock { $0.append(r?.status ?? 0) }
        }
        // One ran; the others were replayed, or told the first was still in flight.
        #expect(statuses.withLock { $0 }.allSatisfy { $0 == 201 || $0 == 409 })
        let list = try app.call("GET", "/v1/trips/\(trip)/expenses", token: a.accessToken)
        #expect((list.json["data"] as? [[String: Any]])?.count == 1)
    }
}
