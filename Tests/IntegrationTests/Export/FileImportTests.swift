import Foundation
import TestSupport
import Testing

/// `POST /v1/trips/{id}/import` over real sockets: GPX waypoints and KML placemarks become unscheduled
/// items, iCalendar events items in the trip's zone; a bad file is refused whole, naming its line.
@Suite struct FileImportTests {
    static let gpx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
          <wpt lat="38.6916" lon="-9.2160"><name>Torre de Belém</name><desc>Tower &amp; views</desc></wpt>
          <wpt lat="38.7139" lon="-9.1334"><name>Miradouro da Graça</name></wpt>
          <trk><trkseg><trkpt lat="38.7" lon="-9.1"/></trkseg></trk>
        </gpx>
        """

    static let kml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>Food</name>
          <Placemark><name>Time Out Market</name><Point><coordinates>-9.1458,38.7069,0</coordinates></Point></Placemark>
        </Folder></Document></kml>
        """

    static let ics = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
        "BEGIN:VEVENT", "UID:a@test", "DTSTART;TZID=Europe/Lisbon:20270502T100000",
        "DTEND;TZID=Europe/Lisbon:20270502T113000", "SUMMARY:Tram 28\\, the whole line",
        "LOCATION:Martim Moniz", "GEO:38.7163;-9.1357", "END:VEVENT",
        "BEGIN:VEVENT", "UID:b@test", "DTSTART:20270503T090000Z", "DURATION:PT2H", "SUMMARY:Oceanário",
        "END:VEVENT",
        "BEGIN:VEVENT", "UID:c@test", "DTSTART;VALUE=DATE:20270504", "DTEND;VALUE=DATE:20270506",
        "SUMMARY:Sintra days", "END:VEVENT",
        "BEGIN:VEVENT", "UID:d@test", "DTSTART:20270505T193000", "SUMMARY:Fado (floating time)", "END:VEVENT",
        "END:VCALENDAR", "",
    ].joined(separator: "\r\n")

    func upload(
        _ app: AuthApp, _ crew: TripKit.Crew, _ body: String, _ type: String, query: String = ""
    ) throws
        -> APIResponse
    {
        try app.send(
            "POST", "/v1/trips/\(crew.trip)/import\(query)", body: Array(body.utf8), contentType: type,
            token: crew.editor.accessToken)
    }

    @Test func waypointsPlacemarksAndEventsBecomeItems() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let gpx = try upload(app, crew, Self.gpx, "application/gpx+xml")
        try #require(gpx.status == 201, "\(gpx.text)")
        let places = gpx.json["data"] as? [[String: Any]] ?? []
        #expect(places.map { $0["title"] as? String } == ["Torre de Belém", "Miradouro da Graça"])
        #expect(places.first?["notes"] as? String == "Tower & views")
        #expect(places.allSatisfy { $0["day"] == nil && ($0["place"] as? [String: Any])?["lat"] != nil })

        let kml = try upload(app, crew, Self.kml, "application/octet-stream", query: "?format=kml")
        try #require(kml.status == 201, "\(kml.text)")
        let market = try #require((kml.json["data"] as? [[String: Any]])?.first)
        #expect((market["place"] as? [String: Any])?["lon"] as? Double == -9.1458)

        let ics = try upload(app, crew, Self.ics, "text/calendar; charset=utf-8")
        try #require(ics.status == 201, "\(ics.text)")
        let events = Dictionary(
            (ics.json["data"] as? [[String: Any]] ?? []).map { ($0["title"] as? String ?? "", $0) },
            uniquingKeysWith: { a, _ in a })
        #expect(events["Tram 28, the whole line"]?["starts_at"] as? String == "2027-05-02T09:00:00.000Z")
        #expect(events["Tram 28, the whole line"]?["ends_at"] as? String == "2027-05-02T10:30:00.000Z")
        #expect((events["Tram 28, the whole line"]?["place"] as? [String: Any])?["name"] as? String == "Martim Moniz")
        #expect(events["Oceanário"]?["ends_at"] as? String == "2027-05-03T11:00:00.000Z")
        #expect(events["Sintra days"]?["day"] as? String == "2027-05-04")
        #expect(events["Sintra days"]?["notes"] as? String == "Until 2027-05-05")
        // Floating: 19:30 on the trip's clock (Lisbon, UTC+1 in May).
        #expect(events["Fado (floating time)"]?["starts_at"] as? String == "2027-05-05T18:30:00.000Z")
        let itinerary = try app.call("GET", "/v1/trips/\(crew.trip)", token: crew.owner.accessToken)
        #expect(itinerary.json["item_count"] as? Int == 7)
    }

    @Test func aBadFileIsRefusedWholeNamingTheLine() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let broken = Self.gpx.replacingOccurrences(of: "lat=\"38.7139\"", with: "lat=\"98.7139\"")
        let r = try upload(app, crew, broken, "application/gpx+xml")
        #expect(r.status == 400)
        #expect(r.header("Content-Type") == "application/problem+json")
        #expect(r.string("detail")?.contains("line 4") == true, "\(r.text)")
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
            <gpx><wpt lat="1" lon="1"><name>&lol2;</name></wpt></gpx>
            """
        #expect(try upload(app, crew, bomb, "application/gpx+xml").status == 400)
        // An event outside the trip's dates: Trips refuses it, reported against the event's line.
        let outside = Self.ics.replacingOccurrences(of: "20270503T090000Z", with: "20280503T090000Z")
        let late = try upload(app, crew, outside, "text/calendar")
        #expect(late.status == 400)
        let fields = (late.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(Set(fields) == ["line 12"], "the second event begins on line 12: \(late.text)")
        #expect(try upload(app, crew, Self.ics, "text/plain").status == 415)
        #expect(
            try app.send(
                "POST", "/v1/trips/\(crew.trip)/import", body: Array(Self.gpx.utf8), contentType: "application/gpx+xml",
                token: crew.viewer.accessToken
            ).status == 403)
        #expect(
            try app.send(
                "POST", "/v1/trips/\(crew.trip)/import", body: Array(Self.gpx.utf8), contentType: "application/gpx+xml",
                token: crew.stranger.accessToken
            ).status == 404)
        // Nothing of the refused files was kept.
        #expect(
            try app.call("GET", "/v1/trips/\(crew.trip)", token: crew.owner.accessToken).json["item_count"] as? Int == 0
        )
    }
}
