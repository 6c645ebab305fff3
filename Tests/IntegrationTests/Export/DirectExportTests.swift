import Foundation
import TestSupport
import Testing

/// `GET /v1/trips/{id}/export.{ics,gpx,kml,csv}` over real sockets: each format read back by an
/// independent parser, members only, conditional requests on the trip's version.
@Suite struct DirectExportTests {
    /// A crew's trip with a timed item, a flight in absolute time, a lodging span, a located lunch on
    /// another day, and an idea with no time.
    func trip(_ app: AuthApp) throws -> TripKit.Crew {
        let crew = try TripKit.crew(app)
        let items: [[String: Any]] = [
            [
                "kind": "activity", "title": "Torre de Belém, tour", "day": "2027-05-02", "start_time": "10:00",
                "end_time": "11:30", "place": ["name": "Belém", "lat": 38.6916, "lon": -9.216],
                "notes": "Tickets; online",
            ],
            [
                "kind": "transport", "title": "TP 1353", "mode": "flight", "starts_at": "2027-05-01T07:30:00Z",
                "ends_at": "2027-05-01T10:00:00Z", "from": ["name": "Zürich", "lat": 47.45, "lon": 8.56],
                "to": ["name": "Lisboa", "lat": 38.77, "lon": -9.13],
            ],
            [
                "kind": "lodging", "title": "Hotel Avenida", "check_in": "2027-05-01", "check_out": "2027-05-04",
                "place": ["name": "Avenida", "lat": 38.72, "lon": -9.145],
            ],
            [
                "kind": "food", "title": "Pastéis de Belém", "day": "2027-05-03", "start_time": "12:00",
                "place": ["name": "Rua de Belém 84", "lat": 38.6975, "lon": -9.2033],
                "cost": ["amount": 850, "currency": "EUR"],
            ],
            ["kind": "note", "title": "Maybe Sintra"],
        ]
        for item in items { _ = try TripKit.addItem(app, crew.owner.accessToken, crew.trip, item) }
        return crew
    }

    func python(_ script: String, _ body: [UInt8]) throws -> [String: Any] {
        try PythonScript.json(script, input: body)
    }

    @Test func everyFormatParsesAndHoldsTheTrip() throws {
        let app = try AuthApp()
        let crew = try trip(app)
        let base = "/v1/trips/\(crew.trip)/export"

        let ics = try app.call("GET", base + ".ics", token: crew.viewer.accessToken)
        try #require(ics.status == 200, "\(ics.text)")
        #expect(ics.header("Content-Type") == "text/calendar; charset=utf-8")
        #expect(ics.header("Content-Disposition")?.hasPrefix("attachment; filename=\"lisbon-week.ics\"") == true)
        let calendar = try python(
            #"""
            import json, sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
            events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
            print(json.dumps({"summaries": sorted(events), "uids": sorted(str(e["UID"]) for e in events.values()),
                "tzids": [str(t["TZID"]) for t in cal.walk("VTIMEZONE")],
                "tour_tzid": str(events["Torre de Belém, tour"]["DTSTART"].params.get("TZID")),
                "hotel": [events["Hotel Avenida"]["DTSTART"].dt.isoformat(), events["Hotel Avenida"]["DTEND"].dt.isoformat()],
                "flight": events["TP 1353"]["DTSTART"].dt.isoformat(), "flight_location": str(events["TP 1353"]["LOCATION"])}))
            """#, ics.raw.body)
        #expect(
            calendar["summaries"] as? [String] == [
                "Hotel Avenida", "Pastéis de Belém", "TP 1353", "Torre de Belém, tour",
            ])
        #expect((calendar["uids"] as? [String])?.allSatisfy { $0.hasSuffix("@travelsense") } == true)
        #expect(calendar["tzids"] as? [String] == ["Europe/Lisbon"])
        #expect(calendar["tour_tzid"] as? String == "Europe/Lisbon")
        #expect(calendar["hotel"] as? [String] == ["2027-05-01", "2027-05-04"])
        #expect(calendar["flight"] as? String == "2027-05-01T07:30:00+00:00")
        #expect(calendar["flight_location"] as? String == "Zürich → Lisboa")

        let gpx = try app.call("GET", base + ".gpx", token: crew.owner.accessToken)
        #expect(gpx.header("Content-Type") == "application/gpx+xml")
        let map = try python(
            #"""
            import json, sys, xml.etree.ElementTree as ET
            ns = {"g": "http://www.topografix.com/GPX/1/1"}
            root = ET.parse(sys.argv[1]).getroot()
            print(json.dumps({"wpt": [w.find("g:name", ns).text for w in root.findall("g:wpt", ns)],
                "rte": [[p.find("g:name", ns).text for p in r.findall("g:rtept", ns)] for r in root.findall("g:rte", ns)]}))
            """#, gpx.raw.body)
        #expect((map["wpt"] as? [String])?.count == 4, "every located item: \(map)")
        #expect(map["rte"] as? [[String]] == [], "no day has two located items")

        let kml = try app.call("GET", base + ".kml", token: crew.owner.accessToken)
        #expect(kml.status == 200 && kml.text.contains("<coordinates>-9.2160000,38.6916000</coordinates>"))

        let csv = try app.call("GET", base + ".csv", token: crew.owner.accessToken)
        #expect(csv.header("Content-Type") == "text/csv; charset=utf-8; header=present")
        let rows = try python(
            #"""
            import csv, json, sys
            rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
            print(json.dumps({"titles": [r["title"] for r in rows], "flight": rows[0], "lunch": [r for r in rows if r["kind"] == "food"][0]}))
            """#, csv.raw.body)
        #expect((rows["titles"] as? [String])?.count == 5)
        let flight = try #require(rows["flight"] as? [String: String])
        #expect(flight["date"] == "2027-05-01" && flight["start"] == "08:30" && flight["place"] == "Zürich → Lisboa")
        let lunch = try #require(rows["lunch"] as? [String: String])
        #expect(lunch["cost"] == "8.50" && lunch["currency"] == "EUR" && lunch["latitude"] == "38.6975000")
    }

    @Test func onlyMembersGetThemAndTheETagFollowsTheTrip() throws {
        let app = try AuthApp()
        let crew = try trip(app)
        let path = "/v1/trips/\(crew.trip)/export.ics"
        #expect(try app.call("GET", path).status == 401)
        #expect(try app.call("GET", path, token: crew.stranger.accessToken).status == 404)
        #expect(try app.call("GET", "/v1/trips/\(UUID())/export.gpx", token: crew.owner.accessToken).status == 404)
        let first = try app.call("GET", path, token: crew.editor.accessToken)
        let etag = try #require(first.header("ETag"))
        #expect(
            try app.call("GET", path, token: crew.editor.accessToken, headers: ["If-None-Match: \(etag)"]).status == 304
        )
        _ = try TripKit.addItem(app, crew.editor.accessToken, crew.trip, ["kind": "note", "title": "One more"])
        let after = try app.call("GET", path, token: crew.editor.accessToken, headers: ["If-None-Match: \(etag)"])
        #expect(after.status == 200 && after.header("ETag") != etag)
    }
}
