import Crypto
import Foundation
import HTTP
import HTTPClient
import Kernel
import Logging
import Redis

/// `GET /v1/places/search`: the configured `Geocoder`, with a remote provider's answers cached in
/// Redis (a week: places rarely move), so a provider outage still serves what was asked before.
final class PlacesService: Sendable {
    static let cacheTTL: Duration = .seconds(7 * 86_400)
    static let maximumLimit = 50

    /// Nil when the gazetteer file is missing: searches answer 503 saying so.
    let geocoder: (any Geocoder)?
    let redis: RedisPool?
    let logger = Logger(label: "travelsense.places")

    init(settings: TripsSettings, redis: RedisPool?, client: HTTPClient) throws {
        self.redis = redis
        switch settings.placesProvider {
        case .gazetteer:
            geocoder = try Gazetteer.shared(configured: settings.gazetteerFile).map(GazetteerGeocoder.init)
        case .nominatim:
            geocoder = NominatimGeocoder(
                baseURL: settings.nominatimURL, client: client, timeout: settings.providerTimeout)
        }
    }

    struct Answer: Encodable {
        var data: [PlaceResult]
        var source: String
        var attribution: String
        var cached: Bool
    }

    func search(_ query: String, near: Coordinate?, limit: Int, traceparent: String? = nil) throws -> Answer {
        guard let geocoder else {
            throw Self.unavailable("Place search is not installed on this server (the gazetteer file is missing).")
        }
        guard geocoder.isRemote else {
            return Answer(
                data: try geocoder.search(query, near: near, limit: limit, traceparent: traceparent),
                source: geocoder.name,
                attribution: geocoder.attribution, cached: false)
        }
        let key = try Self.cacheKey(geocoder.name, query, near, limit)
        if let redis, let bytes = try? redis.get(key), let hit = try? JSONBody.decode([PlaceResult].self, from: bytes) {
            return Answer(data: hit, source: geocoder.name, attribution: geocoder.attribution, cached: true)
        }
        let results: [PlaceResult]
        do {
            results = try geocoder.search(query, near: near, limit: limit, traceparent: traceparent)
        } catch {
            logger.warning("place provider failed", metadata: ["error": "\(error)"])
            throw Self.unavailable("The place search provider is unavailable; try again shortly.")
        }
        if let redis {
            do {
                try redis.set(key, try JSONBody.encode(results), expiresIn: Self.cacheTTL)
            } catch {
                logger.warning("place cache write failed", metadata: ["error": "\(error)"])
            }
        }
        return Answer(data: results, source: geocoder.name, attribution: geocoder.attribution, cached: false)
    }

    /// The same question asked twice maps to one key: case and spacing folded, `near` to ~100 m.
    static func cacheKey(_ provider: String, _ query: String, _ near: Coordinate?, _ limit: Int) throws -> String {
        let folded = query.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let nearText = near.map { String(format: "%.3f,%.3f", $0.latitude, $0.longitude) } ?? "-"
        return "places:\(provider):" + (try SHA256.hexHash(Array("\(folded)|\(nearText)|\(limit)".utf8)))
    }

    static func unavailable(_ detail: String) -> HTTPError {
        var headers = HTTPFields()
        headers.append(.retryAfter, "30")
        return HTTPError(.serviceUnavailable, detail: detail, headers: headers)
    }
}
