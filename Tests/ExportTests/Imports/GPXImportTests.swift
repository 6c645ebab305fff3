import Testing

@testable import Export

/// GPX files as Garmin, OsmAnd and older tools write them: waypoints and routes become places,
/// tracks and metadata do not.
@Suite struct GPXImportTests {
    static func places(_ gpx: String) throws(ImportError) -> [ImportedPlace] {
        try GPXImport.places(from: Array(gpx.utf8))
    }

    static func error(_ gpx: String) -> ImportError? {
        do {
            _ = try places(gpx)
            return nil
        } catch {
            return error
        }
    }

    static let gpx11 = """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <gpx xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" creator="Garmin Desktop App" version="1.1"
             xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">
          <metadata>
            <name>Lisbon weekend</name>
            <desc>Not a place</desc>
            <link href="https://example.com/metadata"><text>Trip page</text></link>
            <time>2027-03-01T10:00:00Z</time>
          </metadata>
          <wpt lat="38.691600" lon="-9.216000">
            <ele>5.0</ele>
            <time>2027-03-27T09:00:00Z</time>
            <name>Torre de Belém</name>
            <cmt>Closed Mondays</cmt>
            <desc>Tower &amp; museum, "a must"</desc>
            <link href="https://www.torrebelem.gov.pt/"><text>Website</text></link>
            <sym>Flag, Blue</sym>
            <extensions><gpxx:WaypointExtension><gpxx:DisplayMode>SymbolAndName</gpxx:DisplayMode>
              </gpxx:WaypointExtension></extensions>
          </wpt>
          <wpt lat="38.70686" lon="-9.14596"/>
          <wpt lat="41.1468" lon="-8.6148">
            <name><![CDATA[Livraria Lello]]></name>
            <link href="javascript:alert(1)"/>
          </wpt>
          <rte>
            <name>Day 2</name>
            <rtept lat="38.7139" lon="-9.1334"><name>Castelo</name></rtept>
            <rtept lat="38.7075" lon="-9.1364"/>
          </rte>
          <trk>
            <name>Morning walk</name>
            <trkseg>
              <trkpt lat="38.7000" lon="-9.1400"><ele>10</ele><time>2027-03-27T08:00:00Z</time></trkpt>
              <trkpt lat="38.7001" lon="-9.1401"><ele>11</ele><time>2027-03-27T08:00:05Z</time></trkpt>
            </trkseg>
          </trk>
        </gpx>
        """

    @Test func gpx11WaypointsAndRoutePointsButNoTrackOrMetadata() throws {
        let p = try Self.places(Self.gpx11)
        #expect(p.count == 5)
        #expect(
            p[0]
                == ImportedPlace(
                    name: "Torre de Belém", lat: 38.6916, lon: -9.216,
                    notes: "Tower & museum, \"a must\"\n\nClosed Mondays", url: "https://www.torrebelem.gov.pt/",
                    line: 11))
        #expect(p[1].name == "Waypoint 2" && p[1].line == 22 && p[1].notes == nil && p[1].url == nil)
        #expect(p[2].name == "Livraria Lello" && p[2].url == nil)  // not an http(s) link: dropped
        #expect(p[3] == ImportedPlace(name: "Castelo", lat: 38.7139, lon: -9.1334, line: 29, group: "Day 2"))
        #expect(p[4].name == "Route point 2" && p[4].group == "Day 2")
        #expect(!p.contains { $0.name.contains("Morning") || $0.lat == 38.7 })
    }

    @Test func gpx10WithURLElementsAndPrefixedElements() throws {
        let gpx = """
            <?xml version="1.0"?>
            <gpx version="1.0" creator="GPSBabel" xmlns="http://www.topografix.com/GPX/1/0">
            <time>2004-01-01T00:00:00Z</time>
            <wpt lat="48.858370" lon="2.294481">
              <name>Eiffel
                Tower</name>
              <desc>Paris</desc>
              <url>https://www.toureiffel.paris/</url>
              <urlname>Official site</urlname>
            </wpt>
            <rte><rtept lat="-33.8568" lon="151.2153"></rtept></rte>
            </gpx>
            """
        let p = try Self.places(gpx)
        #expect(p.count == 2)
        #expect(
            p[0]
                == ImportedPlace(
                    name: "Eiffel Tower", lat: 48.85837, lon: 2.294481, notes: "Paris",
                    url: "https://www.toureiffel.paris/", line: 4))
        #expect(p[1].group == "Route 1" && p[1].name == "Route point 1" && p[1].lon == 151.2153)

        let prefixed = #"<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1"><g:wpt lat="1" lon="2"/></g:gpx>"#
        #expect(try Self.places(prefixed).map(\.name) == ["Waypoint 1"])
    }

    @Test func longNamesAreCutAndWhitespaceCollapsed() throws {
        let long = String(repeating: "é", count: 300)
        let p = try Self.places("<gpx><wpt lat='0' lon='0'><name>  \(long)  </name><desc>  </desc></wpt></gpx>")
        #expect(p[0].name.count == ImportLimits.maximumNameLength)
        #expect(p[0].notes == nil)
        #expect(try Self.places("<gpx><wpt lat='0' lon='0'><name> </name></wpt></gpx>")[0].name == "Waypoint 1")
    }

    @Test func boundaryCoordinatesAreAccepted() throws {
        let p = try Self.places(#"<gpx><wpt lat="-90" lon="180"/><wpt lat=" +90.0 " lon="-180.000"/></gpx>"#)
        #expect(p.map(\.lat) == [-90, 90] && p.map(\.lon) == [180, -180])
    }

    @Test func badLatitudeNamesTheLineAndElement() throws {
        let gpx = """
            <?xml version="1.0"?>
            <gpx version="1.1">
              <wpt lat="38.7" lon="-9.1"><name>ok</name></wpt>
              <rte>
                <name>r</name>
                <rtept lat="38.7" lon="-9.1"/>
                <rtept lat="91.5" lon="-9.1"/>
              </rte>
            </gpx>
            """
        let e = try #require(Self.error(gpx))
        #expect(e.line == 7 && e.element == "<rtept>")
        #expect(e.description == #"line 7, <rtept>: lat "91.5" is out of range"#)
    }

    @Test func everyKindOfBadCoordinate() throws {
        let cases: [(String, String)] = [
            (#"lat="91.5" lon="0""#, #"lat "91.5" is out of range"#),
            (#"lat="0" lon="-180.01""#, #"lon "-180.01" is out of range"#),
            (#"lat="nan" lon="0""#, #"lat "nan" is not a number"#),
            (#"lat="inf" lon="0""#, #"lat "inf" is not a number"#),
            (#"lat="0x1p3" lon="0""#, #"lat "0x1p3" is not a number"#),
            (#"lat="1e400" lon="0""#, #"lat "1e400" is not a number"#),
            (#"lat="" lon="0""#, #"lat "" is not a number"#),
            (#"lat="38,7" lon="0""#, #"lat "38,7" is not a number"#),
            (#"lon="0""#, "the lat attribute is missing"),
            (#"lat="0""#, "the lon attribute is missing"),
        ]
        for (attributes, message) in cases {
            let e = Self.error("<gpx>\n\n<wpt \(attributes)/></gpx>")
            #expect(e == ImportError(line: 3, element: "<wpt>", message), "\(attributes)")
        }
    }

    @Test func notAGPXFile() throws {
        let e = try #require(Self.error(#"<kml xmlns="http://www.opengis.net/kml/2.2"/>"#))
        #expect(e.description == "line 1, <kml>: not a GPX file: the root element should be <gpx>")
    }

    @Test func moreWaypointsThanATripHolds() throws {
        let one = "<wpt lat=\"1\" lon=\"2\"/>\n"
        let fits = "<gpx>\n" + String(repeating: one, count: ImportLimits.maximumItems) + "</gpx>"
        #expect(try Self.places(fits).count == ImportLimits.maximumItems)
        let over = "<gpx>\n" + String(repeating: one, count: ImportLimits.maximumItems + 1) + "</gpx>"
        let e = try #require(Self.error(over))
        #expect(e.line == ImportLimits.maximumItems + 2)
        #expect(e.message.contains("more than \(ImportLimits.maximumItems) places"))
    }

    @Test func aFileOverTheSizeLimitIsRefusedBeforeParsing() throws {
        var bytes = Array("<gpx>".utf8)
        bytes += [UInt8](repeating: 0x20, count: ImportLimits.maximumInputBytes)
        bytes += Array("</gpx>".utf8)
        let e = #expect(throws: ImportError.self) { try GPXImport.places(from: bytes) }
        #expect(e?.line == nil)
        #expect(e?.message.contains("at most 5 MiB") == true)
    }
}
