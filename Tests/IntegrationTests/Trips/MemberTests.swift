import Foundation
import TestSupport
import Testing

/// Collaboration: invitations (now or at registration), roles, leaving, ownership, and what happens
/// to trips when an account is deleted.
@Suite struct MemberTests {
    @Test func inviteExistingAndPendingThenRegister() throws {
        let app = try AuthApp()
        let owner = try app.register(name: "Owner")
        let friend = try app.register(name: "Friend")
        let trip = try TripKit.createTrip(app, owner.accessToken)
        let joined = try app.call(
            "POST", "/v1/trips/\(trip)/members", json: ["email": friend.email.uppercased(), "role": "editor"],
            token: owner.accessToken)
        #expect(joined.status == 201)
        #expect(joined.string("status") == "active")
        #expect(joined.string("display_name") == "Friend")
        #expect(
            try app.call(
                "POST", "/v1/trips/\(trip)/members", json: ["email": friend.email, "role": "viewer"],
                token: owner.accessToken
            )
            .status == 409)
        let bad = try app.call(
            "POST", "/v1/trips/\(trip)/members", json: ["email": "nope", "role": "owner"], token: owner.accessToken)
        #expect(AccountKit.errorFields(bad) == ["email", "role"])

        let newcomer = "newcomer-\(UUID().uuidString.prefix(6).lowercased())@example.com"
        let pending = try app.call(
            "POST", "/v1/trips/\(trip)/members", json: ["email": newcomer, "role": "viewer"], token: owner.accessToken)
        #expect(pending.status == 201)
        #expect(pending.string("status") == "pending")
        let before = try app.call("GET", "/v1/trips/\(trip)/members", token: owner.accessToken)
        #expect(
            (before.json["data"] as? [[String: Any]])?.map { $0["status"] as? String } == [
                "active", "active", "pending",
            ])

        // Registering with that address turns the invitation into a membership.
        let n = try app.register(email: newcomer)
        let seen = try app.call("GET", "/v1/trips/\(trip)", token: n.accessToken)
        #expect(seen.status == 200)
        #expect(seen.string("role") == "viewer")
        let after = try app.call("GET", "/v1/trips/\(trip)/members", token: friend.accessToken)
        let rows = try #require(after.json["data"] as? [[String: Any]])
        #expect(rows.map { $0["role"] as? String } == ["owner", "editor", "viewer"])
        #expect(rows.allSatisfy { $0["status"] as? String == "active" })
    }

    @Test func rolesLeaveRemoveAndTransfer() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let t = crew.trip
        // The viewer becomes an editor and can write; back to viewer and cannot.
        #expect(
            try app.call(
                "PATCH", "/v1/trips/\(t)/members/\(crew.viewer.id)", json: ["role": "editor"],
                token: crew.owner.accessToken
            ).status == 204)
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/items", json: ["kind": "note", "title": "hi"], token: crew.viewer.accessToken
            ).status == 201)
        #expect(
            try app.call(
                "PATCH", "/v1/trips/\(t)/members/\(crew.viewer.id)", json: ["role": "viewer"],
                token: crew.owner.accessToken
            ).status == 204)
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/items", json: ["kind": "note", "title": "hi"], token: crew.viewer.accessToken
            ).status == 403)
        #expect(
            try app.call(
                "PATCH", "/v1/trips/\(t)/members/\(crew.owner.id)", json: ["role": "viewer"],
                token: crew.owner.accessToken
            ).status == 409)

        // The owner cannot leave; the viewer can, and then the trip is gone for them.
        #expect(try app.call("DELETE", "/v1/trips/\(t)/members/me", token: crew.owner.accessToken).status == 409)
        #expect(try app.call("DELETE", "/v1/trips/\(t)/members/me", token: crew.viewer.accessToken).status == 204)
        #expect(try app.call("GET", "/v1/trips/\(t)", token: crew.viewer.accessToken).status == 404)

        // Ownership moves; the old owner stays as an editor.
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/transfer-ownership", json: ["user_id": crew.stranger.id],
                token: crew.owner.accessToken
            )
            .status == 422)
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/transfer-ownership", json: ["user_id": crew.editor.id],
                token: crew.owner.accessToken
            )
            .status == 204)
        #expect(try app.call("GET", "/v1/trips/\(t)", token: crew.editor.accessToken).string("role") == "owner")
        #expect(try app.call("GET", "/v1/trips/\(t)", token: crew.owner.accessToken).string("role") == "editor")
        #expect(
            try app.call("DELETE", "/v1/trips/\(t)/members/\(crew.owner.id)", token: crew.editor.accessToken).status
                == 204)
        #expect(try app.call("GET", "/v1/trips/\(t)", token: crew.owner.accessToken).status == 404)
    }

    @Test func deletingAnAccountHandsTripsOverOrDeletesThem() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let solo = try TripKit.createTrip(app, crew.owner.accessToken, TripKit.tripBody(title: "Alone"))
        let r = try app.call("DELETE", "/v1/me", json: ["password": crew.owner.password], token: crew.owner.accessToken)
        #expect(r.status == 204)
        // The shared trip now belongs to the editor; the solo trip is gone.
        #expect(try app.call("GET", "/v1/trips/\(crew.trip)", token: crew.editor.accessToken).string("role") == "owner")
        let members = try app.call("GET", "/v1/trips/\(crew.trip)/members", token: crew.editor.accessToken)
        #expect((members.json["data"] as? [[String: Any]])?.count == 2)
        #expect(
            try app.database.pool.query("SELECT 1 FROM trips WHERE id = $1", [try #require(UUID(uuidString: solo))])
                .count == 0)
    }

    @Test func etagRaceHasExactlyOneWinner() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        for round in 0..<5 {
            let read = try app.call("GET", "/v1/trips/\(crew.trip)", token: crew.owner.accessToken)
            let etag = try #require(read.header("ETag"))
            let statuses = Locked<[Int]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let who = i == 0 ? crew.owner : crew.editor
                let r = try? app.call(
                    "PATCH", "/v1/trips/\(crew.trip)", json: ["title": "writer \(i) round \(round)"],
                    token: who.accessToken,
                    headers: ["If-Match: \(etag)"])
                statuses.withLock { $0.append(r?.status ?? 0) }
            }
            #expect(statuses.withLock { $0.sorted() } == [200, 412])
        }
    }
}
