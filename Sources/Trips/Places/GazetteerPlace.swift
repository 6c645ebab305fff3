/// A populated place from the offline world-cities gazetteer (GeoNames `cities15000`).
public struct GazetteerPlace: Sendable, Equatable {
    /// GeoNames id; stable across data releases, usable as an external reference.
    public var geonameID: Int
    /// Preferred name in its local Latin spelling, e.g. "São Paulo".
    public var name: String
    /// ISO 3166-1 alpha-2 country code, upper case.
    public var countryCode: String
    /// First-level administrative division as a GeoNames code ("OR" for Oregon, "14" for Lisbon);
    /// the bundled data has no admin-1 names. May be empty.
    public var admin1: String
    public var coordinate: Coordinate
    /// Population per GeoNames; 0 when unknown.
    public var population: Int
    /// IANA time zone id, e.g. "Europe/Lisbon".
    public var timeZone: String

    public init(
        geonameID: Int, name: String, countryCode: String, admin1: String, coordinate: Coordinate,
        population: Int, timeZone: String
    ) {
        self.geonameID = geonameID
        self.name = name
        self.countryCode = countryCode
        self.admin1 = admin1
        self.coordinate = coordinate
        self.population = population
        self.timeZone = timeZone
    }
}
