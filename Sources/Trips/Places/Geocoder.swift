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
    /// `traceparent` (W3C Trace Context) goes along on outbound calls, so a trace spans the provider.
    func search(_ query: String, near: Coordinate?, limit: Int, traceparent: String?) throws -> [PlaceResult]
}

enum TraceContext {
    /// The request's `traceparent` when well formed (`00-<32 hex>-<16 hex>-<2 hex>`), else nil: a
    /// client's malformed header is not forwarded.
    static func traceparent(_ value: String?) -> String? {
        guard let value, value.utf8.count == 55 else { return nil }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [2, 32, 16, 2],
            parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } })
        else { return nil }
        return value
    }
}

/// The provider could not answer (down, timed out, or spoke nonsense).
struct ProviderUnavailable: Error, CustomStringConvertible {
    var description: String
}
