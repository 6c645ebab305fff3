import Foundation
import TestSupport
import Testing

/// The `json` format over real sockets: export → import → export gives the same bytes apart from ids and
/// the export time; a bad document is refused whole, naming the field at fault.
@Suite struct TripImportTests {
    /// A solo trip with every kind of item and field, an expense tied to an item, and checklists.
    func soloTrip(_ app: AuthApp) throws -> (owner: Account, trip: String) {
        let owner = try app.register(name: "Zoë Ødegård")
        let trip = try TripKit.createTrip(
            app, owner.accessToken,
            [
                "title": "Kyoto & Ōsaka — 紅葉", "description": "Autumn leaves; \"quoted\", comma",
                "start_date": "2027-11-10",
                "end_date": "2027-11-14", "timezone": "Asia/Tokyo", "currency": "JPY",
                "budget": ["amount": 300_000, "currency": "JPY"],
                "destination": ["name": "Kyoto", "lat": 35.0116, "lon": 135.7681, "country_code": "JP"],
            ])
        let items: [[String: Any]] = [
            [
                "kind": "activity", "title": "伏見稲荷大社", "day": "2027-11-11", "start_time": "07:30",
                "end_time": "10:00:30", "place": ["name": "Fushimi Inari", "lat": 34.9671, "lon": 135.7727],
                "notes": "Go early.\nBring water", "url": "https://inari.jp/",
            ],
            [
                "kind": "transport", "title": "Shinkansen", "mode": "train", "carrier": "JR", "number": "Hikari 503",
                "starts_at": "2027-11-13T01:10:00Z", "ends_at": "2027-11-13T01:25:00Z",
                "from": ["name": "Kyoto", "lat": 34.9858, "lon": 135.7588], "to": ["name": "Shin-Ōsaka"],
                "confirmation_code": "QX-77", "cost": ["amount": 1450, "currency": "JPY"],
            ],
            [
                "kind": "lodging", "title": "Ryokan", "check_in": "2027-11-10", "check_out": "2027-11-13",
                "place": ["name": "Gion", "lat": 35.0037, "lon": 135.7788, "address": "Higashiyama-ku"],
            ],
            [
                "kind": "food", "title": "Nishiki market", "day": "2027-11-11",
                "cost": ["amount": 3000, "currency": "USD"],
            ],
            ["kind": "note", "title": "Maybe Nara"],
        ]
        var ids: [String] = []
        for item in items { ids.append(try TripKit.addItem(app, owner.accessToken, trip, item)["id"] as? String ?? "") }
        let expense = try app.call(
            "POST", "/v1/trips/\(trip)/expenses",
            json: [
                "description": "Tickets", "amount": 2900, "currency": "JPY", "paid_by": owner.id,
                "split": ["type": "shares", "among": [["user_id": owner.id, "shares": 2]]], "category": "transport",
                "date": "2027-11-13", "item_id": ids[1],
            ], token: owner.accessToken)
        try #require(expense.status == 201, "\(expense.text)")
        let list = try app.call(
            "POST", "/v1/trips/\(trip)/checklists", json: ["title": "Pack", "items": ["Passport", "Yen", "Adapter"]],
            token: owner.accessToken)
        try #require(list.status == 201, "\(list.text)")
        let lists = list.json["items"] as? [[String: Any]] ?? []
        let entry = try #require(lists.first?["id"] as? String)
        let listID = try #require(list.string("id"))
        try #require(
            try app.call(
                "PATCH", "/v1/trips/\(trip)/checklists/\(listID)/items/\(entry)", json: ["checked": true],
                token: owner.accessToken
            ).status == 200)
        return (owner, trip)
    }

    /// Ids (any UUID) numbered by first appearance, and the export time blanked: what may differ.
    static func normalised(_ body: [UInt8]) throws -> String {
        var text = String(decoding: body, as: UTF8.self)
        let uuid = try Regex(#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#)
        var seen: [String: Int] = [:]
        for match in text.matches(of: uuid) {
            let id = String(text[match.range])
            if seen[id] == nil { seen[id] = seen.count + 1 }
        }
        for (id, n) in seen { text = text.replacingOccurrences(of: id, with: "<id\(n)>") }
        return text.replacing(try Regex(#""exported_at" : "[^"]+""#), with: "\"exported_at\" : \"…\"")
    }

    @Test func exportImportExportIsIdenticalApartFromIdsAndTime() throws {
        let app = try AuthApp()
        let (owner, trip) = try soloTrip(app)
        let first = try app.call("GET", "/v1/trips/\(trip)/export.json", token: owner.accessToken)
        try #require(first.status == 200, "\(first.text)")
        #expect(first.header("Content-Type") == "application/json")
        let etag = try #require(first.header("ETag"))
        #expect(etag.hasPrefix("W/\""))
        let again = try app.call(
            "GET", "/v1/trips/\(trip)/export.json", token: owner.accessToken, headers: ["If-None-Match: \(etag)"])
        #expect(again.status == 304)

        // The owner imports it back (a restore, a copy): the same document again.
        let other = owner
        let imported = try app.send(
            "POST", "/v1/trips/import", body: first.raw.body, contentType: "application/json", token: other.accessToken)
        try #require(imported.status == 201, "\(imported.text)")
        let copy = try #require(imported.string("id"))
        #expect(copy != trip)
        #expect(imported.json["item_count"] as? Int == 5)
        #expect(imported.header("Location") == "/v1/trips/\(copy)")
        let second = try app.call("GET", "/v1/trips/\(copy)/export.json", token: other.accessToken)
        try #require(second.status == 200)
        let a = try Self.normalised(first.raw.body)
        let b = try Self.normalised(second.raw.body)
        #expect(a == b)
        // The document really carries the trip (not an empty export equal to another empty one).
        for text in [
            "伏見稲荷大社", "QX-77", "Hikari 503", "\"checked\" : true", "\"item_ref\" : \"<id", "Go early.\\nBring water",
        ] {
            #expect(a.contains(text), "\(text)")
        }
        // Another account importing it gets a trip of its own that its former owner cannot see.
        let stranger = try app.register(name: "Importer")
        let theirs = try app.send(
            "POST", "/v1/trips/import", body: first.raw.body, contentType: "application/json",
            token: stranger.accessToken)
        try #require(theirs.status == 201, "\(theirs.text)")
        #expect(
            try app.call("GET", "/v1/trips/\(try #require(theirs.string("id")))", token: owner.accessToken).status
                == 404)
    }

    @Test func aBadDocumentIsRefusedWholeNamingTheField() throws {
        let app = try AuthApp()
        let (owner, trip) = try soloTrip(app)
        let body = try app.call("GET", "/v1/trips/\(trip)/export.json", token: owner.accessToken).raw.body
        var document = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        var items = try #require(document["items"] as? [[String: Any]])
        items[3]["day"] = "2030-01-01"
        items[4]["kind"] = "spaceship"
        document["items"] = items
        let bad = try JSONSerialization.data(withJSONObject: document)
        let before = try app.call("GET", "/v1/trips", token: owner.accessToken).json["data"] as? [Any]
        let r = try app.send(
            "POST", "/v1/trips/import", body: Array(bad), contentType: "application/json", token: owner.accessToken)
        #expect(r.status == 400)
        #expect(r.header("Content-Type") == "application/problem+json")
        let fields = (r.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(fields.contains("items[3].day"))
        #expect(fields.contains("items[4].kind"))
        let after = try app.call("GET", "/v1/trips", token: owner.accessToken).json["data"] as? [Any]
        #expect(before?.count == after?.count)

        document["format"] = "something.else"
        let wrong = try app.send(
            "POST", "/v1/trips/import", body: Array(try JSONSerialization.data(withJSONObject: document)),
            contentType: "application/json", token: owner.accessToken)
        #expect(wrong.status == 400)
        #expect((wrong.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "format")
        let notJSON = try app.send(
            "POST", "/v1/trips/import", body: Array("BEGIN:VCALENDAR".utf8), contentType: "text/calendar",
            token: owner.accessToken)
        #expect(notJSON.status == 415)
    }

    /// An expense shared between accounts cannot move into another account: it becomes the importer's.
    @Test func sharedExpensesBecomeTheImportersOwn() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let x = try app.call(
            "POST", "/v1/trips/\(crew.trip)/expenses", json: TripKit.taxi(crew), token: crew.owner.accessToken)
        try #require(x.status == 201, "\(x.text)")
        let body = try app.call("GET", "/v1/trips/\(crew.trip)/export.json", token: crew.viewer.accessToken).raw.body
        let r = try app.send(
            "POST", "/v1/trips/import", body: body, contentType: "application/json", token: crew.stranger.accessToken)
        try #require(r.status == 201, "\(r.text)")
        let copy = try #require(r.string("id"))
        let expenses = try app.call("GET", "/v1/trips/\(copy)/expenses", token: crew.stranger.accessToken)
        let first = try #require((expenses.json["data"] as? [[String: Any]])?.first)
        #expect(first["paid_by"] as? String == crew.stranger.id)
        #expect(first["amount"] as? Int == 1200)
        #expect((first["shares"] as? [[String: Any]])?.map { $0["user_id"] as? String } == [crew.stranger.id])
    }
}
