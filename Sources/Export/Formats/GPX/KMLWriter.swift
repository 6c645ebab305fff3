/// KML 2.2 (OGC): a Placemark with a Point per waypoint and one with a LineString per route, in a
/// Document. KML writes coordinates longitude first.
public enum KMLWriter {
    public static func render(_ geo: GeoExport) -> [UInt8] {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<kml xmlns="http://www.opengis.net/kml/2.2">"# + "\n  <Document>\n"
        x += "    <name>\(MarkupText.escape(geo.name))</name>\n"
        if let d = geo.description, !d.isEmpty { x += "    <description>\(MarkupText.escape(d))</description>\n" }
        for p in geo.waypoints where p.isValid {
            x += "    <Placemark>\n      <name>\(MarkupText.escape(p.name))</name>\n"
            if let d = p.description, !d.isEmpty { x += "      <description>\(MarkupText.escape(d))</description>\n" }
            x += "      <Point><coordinates>\(coordinates(p))</coordinates></Point>\n    </Placemark>\n"
        }
        for route in geo.routes {
            let points = route.points.filter(\.isValid)
            guard points.count >= 2 else { continue }
            x += "    <Placemark>\n      <name>\(MarkupText.escape(route.name))</name>\n"
            x += "      <LineString><tessellate>1</tessellate><coordinates>"
            x += points.map(coordinates).joined(separator: " ")
            x += "</coordinates></LineString>\n    </Placemark>\n"
        }
        x += "  </Document>\n</kml>\n"
        return Array(x.utf8)
    }

    private static func coordinates(_ p: GeoExport.Point) -> String {
        XMLNumber.coordinate(p.lon) + "," + XMLNumber.coordinate(p.lat)
    }
}
