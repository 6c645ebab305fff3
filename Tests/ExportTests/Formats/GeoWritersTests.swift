import Foundation
import TestSupport
import Testing

@testable import Export

/// GPX 1.1 and KML 2.2 output, parsed by Python's ElementTree: well-formed, in the right namespace,
/// every located item a waypoint, each day a route in order, and text escaped.
@Suite struct GeoWritersTests {
    static let day1 = [
        GeoExport.Point(
            name: "Belém <Tower> & \"Jerónimos\"", lat: 38.6916, lon: -9.216, description: "Walk, then eat"),
        GeoExport.Point(
            name: "Time Out Market", lat: 38.70686, lon: -9.14596, time: Date(timeIntervalSince1970: 1_806_220_800)),
    ]
    static let geo = GeoExport(
        name: "Lisbon & Porto", description: "Spring '27",
        waypoints: day1 + [
            GeoExport.Point(name: "Livraria Lello", lat: 41.1468, lon: -8.6148),
            GeoExport.Point(name: "Nowhere", lat: 123, lon: 0),  // invalid: left out
        ],
        routes: [
            GeoExport.Route(name: "2027-03-27", points: day1),
            GeoExport.Route(name: "2027-03-28", points: [GeoExport.Point(name: "Alone", lat: 41, lon: -8)]),
        ])

    func parse(_ bytes: [UInt8], _ script: String) throws -> [String: Any] {
        try PythonScript.json(script, input: bytes)
    }

    @Test func gpxIsWellFormedWithWaypointsAndRoutes() throws {
        let r = try parse(
            GPXWriter.render(Self.geo),
            #"""
            import json, sys, xml.etree.ElementTree as ET
            ns = {"g": "http://www.topografix.com/GPX/1/1"}
            root = ET.parse(sys.argv[1]).getroot()
            print(json.dumps({
                "root": root.tag, "version": root.get("version"),
                "name": root.find("g:metadata/g:name", ns).text,
                "wpt": [[w.find("g:name", ns).text, float(w.get("lat")), float(w.get("lon"))] for w in root.findall("g:wpt", ns)],
                "times": [t.text for t in root.findall("g:wpt/g:time", ns)],
                "routes": [[r.find("g:name", ns).text, [p.find("g:name", ns).text for p in r.findall("g:rtept", ns)]] for r in root.findall("g:rte", ns)],
            }))
            """#)
        #expect(r["root"] as? String == "{http://www.topografix.com/GPX/1/1}gpx")
        #expect(r["version"] as? String == "1.1")
        #expect(r["name"] as? String == "Lisbon & Porto")
        let waypoints = try #require(r["wpt"] as? [[Any]])
        #expect(waypoints.count == 3, "the invalid point is left out")
        #expect(waypoints.first?.first as? String == "Belém <Tower> & \"Jerónimos\"")
        #expect(waypoints.first?[1] as? Double == 38.6916 && waypoints.first?[2] as? Double == -9.216)
        #expect(r["times"] as? [String] == ["2027-03-28T08:00:00Z"])
        let routes = try #require(r["routes"] as? [[Any]])
        #expect(routes.count == 1, "a one-point day makes no route")
        #expect(routes.first?.last as? [String] == ["Belém <Tower> & \"Jerónimos\"", "Time Out Market"])
    }

    @Test func kmlIsWellFormedWithLongitudeFirst() throws {
        let r = try parse(
            KMLWriter.render(Self.geo),
            #"""
            import json, sys, xml.etree.ElementTree as ET
            ns = {"k": "http://www.opengis.net/kml/2.2"}
            root = ET.parse(sys.argv[1]).getroot()
            marks = root.findall("k:Document/k:Placemark", ns)
            print(json.dumps({
                "root": root.tag,
                "points": [[m.find("k:name", ns).text, m.find("k:Point/k:coordinates", ns).text] for m in marks if m.find("k:Point", ns) is not None],
                "lines": [m.find("k:LineString/k:coordinates", ns).text for m in marks if m.find("k:LineString", ns) is not None],
            }))
            """#)
        #expect(r["root"] as? String == "{http://www.opengis.net/kml/2.2}kml")
        let points = try #require(r["points"] as? [[String]])
        #expect(points.count == 3)
        #expect(points.last == ["Livraria Lello", "-8.6148000,41.1468000"])
        #expect(r["lines"] as? [String] == ["-9.2160000,38.6916000 -9.1459600,38.7068600"])
    }

    @Test func forbiddenXMLCharactersAreDroppedAndCoordinatesArePlain() {
        #expect(MarkupText.escape("a\u{1}b\u{FFFE}<c>") == "ab&lt;c&gt;")
        #expect(XMLNumber.coordinate(-0.00000004) == "0.0000000", "no negative zero")
        #expect(XMLNumber.coordinate(1e-7) == "0.0000001")
        #expect(XMLNumber.coordinate(-179.9999999) == "-179.9999999")
    }
}
