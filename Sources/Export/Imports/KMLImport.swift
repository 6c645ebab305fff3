/// KML 2.2 (OGC, as Google Earth and My Maps write it) to places: each `<Placemark>` with a `<Point>`
/// becomes one, with its `<name>`, its `<description>` as notes (verbatim: My Maps puts HTML there)
/// and its `<atom:link href>`. Placemarks that are only a LineString, Polygon or MultiGeometry are
/// paths and areas, not places, and are skipped. Placemarks may sit at any depth of Documents and
/// Folders; the innermost named Folder becomes `group` (when its `<name>` comes before the placemark,
/// as every writer puts it). KMZ (zipped KML) is refused with a hint: unzip it and import `doc.kml`.
public enum KMLImport {
    public static func places(from input: some Collection<UInt8>) throws(ImportError) -> [ImportedPlace] {
        try ImportError.checkSize(input.count)
        if input.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw ImportError(line: nil, "this is a KMZ (zipped KML); unzip it and import the doc.kml inside")
        }
        var reader = XMLReader(input)
        var parser = KMLParser()
        while let event = try reader.next() { try parser.consume(event) }
        return parser.places
    }
}

/// The state of one KML walk: the open Folders and the Placemark being read.
private struct KMLParser {
    struct Placemark {
        var depth: Int
        var line: Int
        var name: String?
        var description: String?
        var url: String?
        /// The depth of its `<Point>`, while inside it.
        var pointDepth: Int?
        var coordinates: (lat: Double, lon: Double)?
    }

    var places: [ImportedPlace] = []
    var path: [Substring] = []
    /// Open Folders and Documents: their depth and name.
    var containers: [(depth: Int, name: String?, isFolder: Bool)] = []
    var placemark: Placemark?
    var field: XMLElementText?

    mutating func consume(_ event: XMLEvent) throws(ImportError) {
        switch event.kind {
        case .start(let name, let attributes):
            if path.isEmpty, name.local != "kml" {
                throw ImportError(
                    line: event.line, element: "<\(name)>", "not a KML file: the root element should be <kml>")
            }
            path.append(name.local)
            start(name.local, attributes, line: event.line)
        case .text, .cdata:
            field?.take(event, atDepth: path.count)
        case .end:
            try end()
            path.removeLast()
        }
    }

    private mutating func start(_ local: Substring, _ attributes: [XMLAttribute], line: Int) {
        let depth = path.count
        if var p = placemark {
            if depth == p.depth + 1 {
                switch local {
                case "name", "description": field = XMLElementText(field: String(local), depth: depth, line: line)
                case "link": if p.url == nil { p.url = ImportText.url(attributes.value("href")) }
                case "Point": if p.coordinates == nil { p.pointDepth = depth }
                default: break
                }
            } else if let point = p.pointDepth, depth == point + 1, local == "coordinates" {
                field = XMLElementText(field: "coordinates", depth: depth, line: line)
            }
            placemark = p
        } else if local == "Placemark" {
            placemark = Placemark(depth: depth, line: line)
        } else if local == "Folder" || local == "Document" {
            containers.append((depth, nil, local == "Folder"))
        } else if local == "name", let c = containers.last, depth == c.depth + 1 {
            field = XMLElementText(field: "container name", depth: depth, line: line)
        }
    }

    private mutating func end() throws(ImportError) {
        let depth = path.count
        if let f = field, f.depth == depth {
            field = nil
            switch f.field {
            case "name": placemark?.name = ImportText.name(f.text)
            case "description": placemark?.description = ImportText.notes(f.text)
            case "coordinates":
                if placemark?.coordinates == nil { placemark?.coordinates = try Self.coordinates(f) }
            default: containers[containers.count - 1].name = ImportText.name(f.text)
            }
        } else if let p = placemark {
            if p.pointDepth == depth { placemark?.pointDepth = nil }
            guard p.depth == depth else { return }
            placemark = nil
            guard let c = p.coordinates else { return }
            try ImportError.checkCount(places.count, line: p.line, element: "<Placemark>", noun: "places")
            places.append(
                ImportedPlace(
                    name: p.name ?? "Placemark \(places.count + 1)", lat: c.lat, lon: c.lon, notes: p.description,
                    url: p.url, line: p.line, group: containers.last(where: { $0.isFolder && $0.name != nil })?.name))
        } else if containers.last?.depth == depth {
            containers.removeLast()
        }
    }

    /// `lon,lat[,alt]`: a Point has exactly one tuple, longitude first.
    private static func coordinates(_ f: XMLElementText) throws(ImportError) -> (lat: Double, lon: Double) {
        let tuples = f.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        guard tuples.count == 1 else {
            throw ImportError(
                line: f.line, element: "<coordinates>",
                tuples.isEmpty ? "no coordinates" : "a <Point> has one position, not \(tuples.count)")
        }
        let parts = tuples[0].split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else {
            throw ImportError(
                line: f.line, element: "<coordinates>",
                "\(ImportCoordinates.quoted(String(tuples[0]))) is not \"longitude,latitude[,altitude]\"")
        }
        let lon = try ImportCoordinates.longitude(String(parts[0]), "longitude", line: f.line, element: "<coordinates>")
        let lat = try ImportCoordinates.latitude(String(parts[1]), "latitude", line: f.line, element: "<coordinates>")
        if parts.count == 3, ImportCoordinates.decimal(parts[2]) == nil {
            throw ImportError(
                line: f.line, element: "<coordinates>",
                "altitude \(ImportCoordinates.quoted(String(parts[2]))) is not a number")
        }
        return (lat, lon)
    }
}
