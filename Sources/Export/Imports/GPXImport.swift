/// GPX 1.0 and 1.1 (topografix.com) to places: each `<wpt>` and each `<rtept>` of a `<rte>` becomes
/// one, with its `<name>`, its `<desc>` and `<cmt>` as notes, and its first http(s) link (1.1
/// `<link href>`, 1.0 `<url>`). A route point keeps its route's name as `group`.
///
/// Tracks (`<trk>`/`<trkpt>`) are ignored on purpose: a track is a recorded path of thousands of
/// points a second or a few metres apart, not places anyone wants as trip items. Extensions and
/// metadata are ignored too. Elements are matched on local names, whatever the namespace.
public enum GPXImport {
    public static func places(from input: some Collection<UInt8>) throws(ImportError) -> [ImportedPlace] {
        try ImportError.checkSize(input.count)
        var reader = XMLReader(input)
        var parser = GPXParser()
        while let event = try reader.next() { try parser.consume(event) }
        return parser.places
    }
}

/// The state of one GPX walk: where we are, and the point or route being read.
private struct GPXParser {
    struct Point {
        var isRoutePoint: Bool
        var depth: Int
        var line: Int
        var lat: Double
        var lon: Double
        var name: String?
        var desc: String?
        var cmt: String?
        var url: String?
    }

    struct Route {
        var depth: Int
        var ordinal: Int
        var name: String?
        var points = 0
    }

    var places: [ImportedPlace] = []
    /// Local names of the open elements, root first.
    var path: [Substring] = []
    var point: Point?
    var route: Route?
    var field: XMLElementText?
    var waypoints = 0
    var routes = 0

    mutating func consume(_ event: XMLEvent) throws(ImportError) {
        switch event.kind {
        case .start(let name, let attributes):
            if path.isEmpty, name.local != "gpx" {
                throw ImportError(
                    line: event.line, element: "<\(name)>", "not a GPX file: the root element should be <gpx>")
            }
            path.append(name.local)
            try start(name.local, attributes, line: event.line)
        case .text, .cdata:
            field?.take(event, atDepth: path.count)
        case .end:
            end()
            path.removeLast()
        }
    }

    private mutating func start(_ local: Substring, _ attributes: [XMLAttribute], line: Int) throws(ImportError) {
        let depth = path.count
        if var p = point {
            guard depth == p.depth + 1 else { return }
            switch local {
            case "name", "desc", "cmt", "url": field = XMLElementText(field: String(local), depth: depth, line: line)
            case "link": if p.url == nil { p.url = ImportText.url(attributes.value("href")) }
            default: break
            }
            point = p
        } else if local == "wpt" && depth == 2 {
            waypoints += 1
            point = try begin(isRoutePoint: false, attributes, depth: depth, line: line)
        } else if local == "rte" && depth == 2 {
            routes += 1
            route = Route(depth: depth, ordinal: routes)
        } else if let r = route, depth == r.depth + 1 {
            if local == "rtept" {
                route?.points += 1
                point = try begin(isRoutePoint: true, attributes, depth: depth, line: line)
            } else if local == "name" {
                field = XMLElementText(field: "route name", depth: depth, line: line)
            }
        }
    }

    private func begin(
        isRoutePoint: Bool, _ attributes: [XMLAttribute], depth: Int, line: Int
    ) throws(ImportError) -> Point {
        let element = isRoutePoint ? "<rtept>" : "<wpt>"
        try ImportError.checkCount(places.count, line: line, element: element, noun: "places")
        guard let latText = attributes.value("lat") else {
            throw ImportError(line: line, element: element, "the lat attribute is missing")
        }
        guard let lonText = attributes.value("lon") else {
            throw ImportError(line: line, element: element, "the lon attribute is missing")
        }
        let lat = try ImportCoordinates.latitude(latText, "lat", line: line, element: element)
        let lon = try ImportCoordinates.longitude(lonText, "lon", line: line, element: element)
        return Point(isRoutePoint: isRoutePoint, depth: depth, line: line, lat: lat, lon: lon)
    }

    private mutating func end() {
        let depth = path.count
        if let f = field, f.depth == depth {
            field = nil
            switch f.field {
            case "name": point?.name = ImportText.name(f.text)
            case "desc": point?.desc = ImportText.notes(f.text)
            case "cmt": point?.cmt = ImportText.notes(f.text)
            case "url": if point?.url == nil { point?.url = ImportText.url(f.text) }
            default: route?.name = ImportText.name(f.text)
            }
        } else if let p = point, p.depth == depth {
            point = nil
            places.append(place(p))
        } else if route?.depth == depth {
            route = nil
        }
    }

    private func place(_ p: Point) -> ImportedPlace {
        let group = p.isRoutePoint ? (route?.name ?? "Route \(route?.ordinal ?? routes)") : nil
        let fallback = p.isRoutePoint ? "Route point \(route?.points ?? 0)" : "Waypoint \(waypoints)"
        var notes = p.desc
        if let cmt = p.cmt, cmt != p.desc { notes = notes.map { $0 + "\n\n" + cmt } ?? cmt }
        return ImportedPlace(
            name: p.name ?? fallback, lat: p.lat, lon: p.lon, notes: ImportText.notes(notes), url: p.url,
            line: p.line, group: group)
    }
}
