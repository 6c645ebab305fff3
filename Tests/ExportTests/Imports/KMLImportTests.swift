import Testing

@testable import Export

/// KML as Google Earth and My Maps write it, folders and prefixes included.
@Suite struct KMLImportTests {
    static func places(_ kml: String) throws(ImportError) -> [ImportedPlace] {
        try KMLImport.places(from: Array(kml.utf8))
    }

    static func error(_ kml: String) -> ImportError? {
        do {
            _ = try places(kml)
            return nil
        } catch {
            return error
        }
    }

    @Test func placemarksInNestedFoldersWithAPrefixedNamespace() throws {
        let kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml:kml xmlns:kml="http://www.opengis.net/kml/2.2" xmlns:atom="http://www.w3.org/2005/Atom">
              <kml:Document>
                <kml:name>Japan 2027</kml:name>
                <kml:Style id="pin"><kml:IconStyle><kml:scale>1.1</kml:scale></kml:IconStyle></kml:Style>
                <kml:Folder>
                  <kml:name>Tokyo</kml:name>
                  <kml:Placemark>
                    <kml:name>東京タワー</kml:name>
                    <kml:description><![CDATA[<b>Views</b> at dusk]]></kml:description>
                    <atom:link href="https://www.tokyotower.co.jp/"/>
                    <kml:styleUrl>#pin</kml:styleUrl>
                    <kml:Point>
                      <kml:coordinates>
                        139.745433,35.658581,0
                      </kml:coordinates>
                    </kml:Point>
                  </kml:Placemark>
                  <kml:Folder>
                    <kml:name>Day trips</kml:name>
                    <kml:Placemark>
                      <kml:Point><kml:coordinates>138.7274,35.3606</kml:coordinates></kml:Point>
                    </kml:Placemark>
                  </kml:Folder>
                  <kml:Placemark>
                    <kml:name>Yamanote line</kml:name>
                    <kml:LineString><kml:coordinates>139.70,35.69,0 139.77,35.68,0</kml:coordinates></kml:LineString>
                  </kml:Placemark>
                </kml:Folder>
                <kml:Placemark>
                  <kml:name>Park area</kml:name>
                  <kml:Polygon><kml:outerBoundaryIs><kml:LinearRing><kml:coordinates>
                    139.69,35.67 139.70,35.67 139.70,35.68 139.69,35.67
                  </kml:coordinates></kml:LinearRing></kml:outerBoundaryIs></kml:Polygon>
                </kml:Placemark>
                <kml:Placemark><kml:name>Kyoto</kml:name><kml:Point><kml:coordinates>135.7681,35.0116</kml:coordinates></kml:Point></kml:Placemark>
              </kml:Document>
            </kml:kml>
            """
        let p = try Self.places(kml)
        #expect(p.count == 3)
        #expect(
            p[0]
                == ImportedPlace(
                    name: "東京タワー", lat: 35.658581, lon: 139.745433, notes: "<b>Views</b> at dusk",
                    url: "https://www.tokyotower.co.jp/", line: 8, group: "Tokyo"))
        #expect(p[1] == ImportedPlace(name: "Placemark 2", lat: 35.3606, lon: 138.7274, line: 21, group: "Day trips"))
        #expect(p[2] == ImportedPlace(name: "Kyoto", lat: 35.0116, lon: 135.7681, line: 36))
    }

    @Test func defaultNamespaceAsGoogleEarthWritesIt() throws {
        let kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
            <Placemark><name>Sagrada Família</name><description>Book ahead &amp; early</description>
            <Point><gx:drawOrder>1</gx:drawOrder><coordinates>2.1743558,41.4036299,0</coordinates></Point></Placemark>
            </kml>
            """
        #expect(
            try Self.places(kml) == [
                ImportedPlace(
                    name: "Sagrada Família", lat: 41.4036299, lon: 2.1743558, notes: "Book ahead & early", line: 3)
            ])
    }

    @Test func badCoordinatesNameTheLine() throws {
        func kml(_ coordinates: String) -> String {
            "<kml>\n<Placemark>\n<Point>\n<coordinates>\(coordinates)</coordinates></Point></Placemark></kml>"
        }
        let cases: [(String, String)] = [
            ("10,95.5", #"latitude "95.5" is out of range"#),
            ("181,10", #"longitude "181" is out of range"#),
            ("ten,10", #"longitude "ten" is not a number"#),
            ("10,10,high", #"altitude "high" is not a number"#),
            ("10", #""10" is not "longitude,latitude[,altitude]""#),
            ("10,10 11,11", "a <Point> has one position, not 2"),
            ("  ", "no coordinates"),
        ]
        for (coordinates, message) in cases {
            #expect(Self.error(kml(coordinates)) == ImportError(line: 4, element: "<coordinates>", message))
        }
    }

    @Test func notKML() throws {
        #expect(Self.error("<gpx/>")?.message == "not a KML file: the root element should be <kml>")
        #expect(Self.error("PK\u{3}\u{4}rest of a zip")?.message.contains("KMZ") == true)
        let e = try #require(Self.error("<kml>\n<Placemark><name>a</Placemark></kml>"))
        #expect(e.line == 2 && e.message.contains("</Placemark> closes <name>"))
    }
}
