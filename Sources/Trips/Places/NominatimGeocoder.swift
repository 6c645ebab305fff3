import Foundation
import HTTP
import HTTPClient

/// A Nominatim server (`/search?format=jsonv2`), OpenStreetMap's geocoder or a self-hosted one. The
/// public instance's policy asks for an identifying User-Agent and caching: both are done here and
/// in `PlacesService`.
struct NominatimGeocoder: Geocoder {
    let baseURL: String
    let client: HTTPClient
    let timeout: Duration
    var name: String { "nominatim" }
    var attribution: String { "Data © OpenStreetMap contributors, ODbL 1.0 (https://osm.org/copyright)" }
    var isRemote: Bool { true }

    func search(_ query: String, near: Coordinate?, limit: Int, traceparent: String?) throws -> [PlaceResult] {
        var url = baseURL + "/search?format=jsonv2&addressdetails=1&limit=\(limit)&q=" + Self.escape(query)
        if let near {
            // A viewbox without `bounded` biases results toward it without excluding the rest.
            let box = [near.longitude - 1, near.latitude + 1, near.longitude + 1, near.latitude - 1]
            url += "&viewbox=" + box.map { String(format: "%.4f", $0) }.joined(separator: ",")
        }
        var headers = HTTPFields()
        headers.append(.accept, "application/json")
        if let traceparent { headers.append("traceparent", traceparent) }
        let response: HTTPClientResponse
        do {
            response = try client.execute(try HTTPClientRequest(url: url, headers: headers), timeout: timeout)
        } catch {
            throw ProviderUnavailable(description: "Nominatim: \(error)")
        }
        guard response.status.code == 200 else {
            throw ProviderUnavailable(description: "Nominatim answered \(response.status.code)")
        }
        guard let hits = try? JSONDecoder().decode([Hit].self, from: Data(response.body)) else {
            throw ProviderUnavailable(description: "Nominatim sent an unreadable answer")
        }
        return hits.compactMap { hit in
            guard let lat = Double(hit.lat), let lon = Double(hit.lon), (-90...90).contains(lat),
                (-180...180).contains(lon)
            else { return nil }
            let name = hit.name.flatMap { $0.isEmpty ? nil : $0 } ?? String(hit.displayName.prefix { $0 != "," })
            return PlaceResult(
                name: name, displayName: hit.displayName, lat: lat, lon: lon,
                countryCode: hit.address?.countryCode?.uppercased(), timezone: nil, population: nil,
                providerRef: "osm:\(hit.osmType ?? "place"):\(hit.osmId.map(String.init) ?? String(hit.placeId ?? 0))")
        }
    }

    /// Percent-encodes a query component (RFC 3986 unreserved characters pass).
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The fields of a `jsonv2` result we use.
    struct Hit: Decodable {
        var placeId: Int?
        var osmType: String?
        var osmId: Int?
        var lat: String
        var lon: String
        var name: String?
        var displayName: String
        var address: Address?

        struct Address: Decodable {
            var countryCode: String?
            enum CodingKeys: String, CodingKey { case countryCode = "country_code" }
        }

        enum CodingKeys: String, CodingKey {
            case placeId = "place_id"
            case osmType = "osm_type"
            case osmId = "osm_id"
            case lat, lon, name
            case
                displayName = "display_name"
            case address
        }
    }
}
