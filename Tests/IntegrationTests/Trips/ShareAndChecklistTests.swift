import Foundation
import TestSupport
import Testing

/// Share links show only what they grant, to anyone, until revoked or expired; checklists keep
/// their order and who checked what.
@Suite struct ShareAndChecklistTests {
    @Test func shareLinkScopeExpiryAndRevocation() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let t = crew.trip
        _ = try TripKit.addItem(
            app, crew.owner.accessToken, t,
            [
                "kind": "lodging", "title": "Hotel", "day": "2027-05-01", "confirmation_code": "SECRET-42",
                "place": ["name": "Hotel", "lat": 38.72, "lon": -9.14],
            ])
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/share-links", json: ["sections": ["itinerary"]], token: crew.editor.accessToken
            ).status == 403)
        let link = try app.call(
            "POST", "/v1/trips/\(t)/share-links", json: ["sections": ["itinerary", "map"]],
            token: crew.owner.accessToken)
        #expect(link.status == 201)
        let token = try #require(link.string("token"))
        #expect(link.string("url")?.hasSuffix("/v1/shared/\(token)") == true)

        let shared = try app.call("GET", "/v1/shared/\(token)")
        #expect(shared.status == 200)
        #expect(shared.json["itinerary"] != nil && shared.json["map"] != nil)
        #expect(shared.json["expenses"] == nil && shared.json["checklists"] == nil)
        #expect(!shared.text.contains("SECRET-42"))
        #expect(!shared.text.contains(crew.owner.email))
        let etag = try #require(shared.header("ETag"))
        #expect(try app.call("GET", "/v1/shared/\(token)", headers: ["If-None-Match: \(etag)"]).status == 304)

        // The stored token is a digest; listing never shows it.
        let list = try app.call("GET", "/v1/trips/\(t)/share-links", token: crew.owner.accessToken)
        #expect(!list.text.contains(token))
        let id = try #require(link.string("id"))
        #expect(try app.call("DELETE", "/v1/trips/\(t)/share-links/\(id)", token: crew.owner.accessToken).status == 204)
        #expect(try app.call("GET", "/v1/shared/\(token)").status == 404)
        #expect(try app.call("GET", "/v1/shared/\(token.dropLast())x").status == 404)
        #expect(try app.call("GET", "/v1/shared/nonsense").status == 404)

        // Expiry: a link whose time has passed is refused.
        let expenses = try app.call(
            "POST", "/v1/trips/\(t)/share-links",
            json: ["sections": ["expenses", "checklists"], "expires_at": "2099-01-01T00:00:00Z"],
            token: crew.owner.accessToken)
        let token2 = try #require(expenses.string("token"))
        let second = try app.call("GET", "/v1/shared/\(token2)")
        #expect(second.json["itinerary"] == nil && second.json["expenses"] != nil && second.json["checklists"] != nil)
        try app.database.pool.execute("UPDATE trip_share_links SET expires_at = now() - interval '1 second'")
        #expect(try app.call("GET", "/v1/shared/\(token2)").status == 404)
        let past = try app.call(
            "POST", "/v1/trips/\(t)/share-links", json: ["sections": ["map"], "expires_at": "2001-01-01T00:00:00Z"],
            token: crew.owner.accessToken)
        #expect(AccountKit.errorFields(past) == ["expires_at"])
        let bad = try app.call(
            "POST", "/v1/trips/\(t)/share-links", json: ["sections": ["diary"]], token: crew.owner.accessToken)
        #expect(AccountKit.errorFields(bad) == ["sections[0]"])
    }

    @Test func checklistsCheckAndReorder() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let t = crew.trip
        let created = try app.call(
            "POST", "/v1/trips/\(t)/checklists",
            json: ["title": "Packing", "items": ["Passport", "Charger", "Sunscreen"]],
            token: crew.editor.accessToken)
        #expect(created.status == 201)
        let list = try #require(created.string("id"))
        var items = try #require(created.json["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        let checked = try app.call(
            "PATCH", "/v1/trips/\(t)/checklists/\(list)/items/\(ids[1])", json: ["checked": true],
            token: crew.editor.accessToken)
        #expect(checked.status == 200)
        items = try #require(checked.json["items"] as? [[String: Any]])
        #expect(items[1]["checked"] as? Bool == true)
        #expect(items[1]["checked_by"] as? String == crew.editor.id)
        let moved = try app.call(
            "POST", "/v1/trips/\(t)/checklists/\(list)/items/\(ids[2])/move", json: [:] as [String: Any],
            token: crew.editor.accessToken)
        #expect(
            (moved.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2], ids[0], ids[1]])
        let after = try app.call(
            "POST", "/v1/trips/\(t)/checklists/\(list)/items/\(ids[2])/move", json: ["after_id": ids[1]],
            token: crew.editor.accessToken)
        #expect(
            (after.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0], ids[1], ids[2]])
        let unchecked = try app.call(
            "PATCH", "/v1/trips/\(t)/checklists/\(list)/items/\(ids[1])", json: ["checked": false],
            token: crew.owner.accessToken)
        #expect((unchecked.json["items"] as? [[String: Any]])?[1]["checked"] as? Bool == false)
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/checklists/\(list)/items", json: ["text": "Hat"], token: crew.viewer.accessToken
            )
            .status == 403)
        #expect(
            try app.call("DELETE", "/v1/trips/\(t)/checklists/\(list)/items/\(ids[0])", token: crew.editor.accessToken)
                .status
                == 204)
        let all = try app.call("GET", "/v1/trips/\(t)/checklists", token: crew.viewer.accessToken)
        #expect(((all.json["data"] as? [[String: Any]])?.first?["items"] as? [Any])?.count == 2)
    }
}
