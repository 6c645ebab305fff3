import Foundation

/// GPX 1.1 (topografix.com/GPX/1/1): `<wpt>` per waypoint, `<rte>` with `<rtept>` per route. Points
/// outside the WGS 84 range are left out rather than written invalid; a route needs two points.
public enum GPXWriter {
    public static func render(_ geo: GeoExport, creator: String = "TravelSense") -> [UInt8] {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<gpx version="1.1" creator="\#(MarkupText.escape(creator))" xmlns="http://www.topografix.com/GPX/1/1">"#
        x += "\n  <metadata>\n    <name>\(MarkupText.escape(geo.name))</name>\n"
        if let d = geo.description, !d.isEmpty { x += "    <desc>\(MarkupText.escape(d))</desc>\n" }
        x += "  </metadata>\n"
        for p in geo.waypoints where p.isValid { x += point("wpt", p, indent: "  ") }
        for route in geo.routes {
            let points = route.points.filter(\.isValid)
            guard points.count >= 2 else { continue }
            x += "  <rte>\n    <name>\(MarkupText.escape(route.name))</name>\n"
            for p in points { x += point("rtept", p, indent: "    ") }
            x += "  </rte>\n"
        }
        x += "</gpx>\n"
        return Array(x.utf8)
    }

    /// Child order is the schema's: time before name before desc.
    private static func point(_ tag: String, _ p: GeoExport.Point, indent: String) -> String {
        var s =
            indent + #"<\#(tag) lat="\#(XMLNumber.coordinate(p.lat))" lon="\#(XMLNumber.coordinate(p.lon))">"# + "\n"
        if let t = p.time { s += indent + "  <time>\(ICSTime.iso8601(t))</time>\n" }
        s += indent + "  <name>\(MarkupText.escape(p.name))</name>\n"
        if let d = p.description, !d.isEmpty { s += indent + "  <desc>\(MarkupText.escape(d))</desc>\n" }
        return s + indent + "</\(tag)>\n"
    }
}
