import Foundation

/// The offline world-cities gazetteer as a `Geocoder`: `make dev` finds "Lisbon" with no network.
struct GazetteerGeocoder: Geocoder {
    let gazetteer: Gazetteer
    var name: String { "geonames" }
    var attribution: String { "Place data © GeoNames (https://www.geonames.org), CC BY 4.0" }
    var isRemote: Bool { false }

    func search(_ query: String, near: Coordinate?, limit: Int, traceparent: String?) throws -> [PlaceResult] {
        gazetteer.search(query, near: near, limit: limit).map { p in
            PlaceResult(
                name: p.name,
                // admin1 is a GeoNames code: shown only when it reads as a name (US states: "OR").
                displayName: [p.name, p.admin1.allSatisfy(\.isLetter) ? p.admin1 : "", p.countryCode]
                    .filter { !$0.isEmpty }.joined(separator: ", "),
                lat: p.coordinate.latitude, lon: p.coordinate.longitude, countryCode: p.countryCode,
                timezone: p.timeZone.isEmpty ? nil : p.timeZone, population: p.population,
                providerRef: "geonames:\(p.geonameID)")
        }
    }

    /// The data file: `GAZETTEER_FILE`, else the copy SwiftPM installs beside the executable, else
    /// the source tree (a `swift run` from a checkout).
    static func locate(configured: String?) -> String? {
        if let configured { return configured }
        let file = "cities15000.tsv"
        var candidates: [String] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(exe.appendingPathComponent("travelsense_Trips.resources/\(file)").path)
            candidates.append(exe.appendingPathComponent("../share/travelsense/\(file)").standardized.path)
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Resources/\(file)").path)
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }
}
