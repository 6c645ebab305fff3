/// A place read from a GPX or KML file, ready to become a trip item: the importers have already
/// checked the coordinates and trimmed the text to the limits Trips enforces.
public struct ImportedPlace: Sendable, Hashable {
    public var name: String
    /// WGS 84 degrees, finite, in [-90, 90].
    public var lat: Double
    /// WGS 84 degrees, finite, in [-180, 180].
    public var lon: Double
    public var notes: String?
    /// An http(s) link; anything else in the file is dropped.
    public var url: String?
    /// Where the place starts in the file (its `<wpt>` or `<Placemark>`), for messages that point back.
    public var line: Int
    /// A grouping hint: the GPX route or the innermost KML Folder the place came from, if named.
    public var group: String?

    public init(
        name: String, lat: Double, lon: Double, notes: String? = nil, url: String? = nil, line: Int,
        group: String? = nil
    ) {
        self.name = name
        self.lat = lat
        self.lon = lon
        self.notes = notes
        self.url = url
        self.line = line
        self.group = group
    }
}
