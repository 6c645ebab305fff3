import Foundation

/// A place a search found, whoever found it.
public struct PlaceResult: Sendable, Codable, Equatable {
    public var name: String
    /// Name with region and country, for a list a person picks from.
    public var displayName: String
    public var lat: Double
    public var lon: Double
    public var countryCode: String?
    public var timezone: String?
    public var population: Int?
    /// Stable id at the provider (`geonames:2267057`, `osm:relation:5400890`): store it in a place.
    public var providerRef: String
}

/// Finds places by name. Implementations: the shipped gazetteer (offline) and a Nominatim server.
public protocol Geocoder: Sendable {
    /// `geonames`, `nominatim`: names the cache and the answer's `source`.
    var name: String { get }
    /// Whom the data must be credited to.
    var attribution: String { get }
    /// True when answers come from far away and are worth caching in Redis.
    var isRemote: Bool { get }
    func search(_ query: String, near: Coordinate?, limit: Int) throws -> [PlaceResult]
}

/// The provider could not answer (down, timed out, or spoke nonsense).
struct ProviderUnavailable: Error, CustomStringConvertible {
    var description: String
}
