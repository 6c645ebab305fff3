import Foundation

/// Why a gazetteer file could not be loaded.
public enum GazetteerError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file was read but held no valid place (wrong file, or every line malformed).
    case noPlaces(skippedLines: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read gazetteer file \(path): \(reason)"
        case .noPlaces(let skipped): "gazetteer file has no valid places (\(skipped) malformed lines)"
        }
    }
}

/// Offline place search over the GeoNames world-cities file shipped with the server.
///
/// Loaded once at start; immutable afterwards, so one instance is shared by all request handlers.
/// Matching ignores case, diacritics and punctuation ("sao paulo" finds São Paulo) and accepts a
/// whole name or a word prefix of the name, ASCII name or an alternate name ("new y" finds New York
/// City, "lisboa" finds Lisbon). Ranking is described on `GazetteerRanking`.
public final class Gazetteer: Sendable {
    /// Results returned when the caller does not say.
    public static let defaultSearchLimit = 10
    /// Upper bound on `limit`; larger values are clamped.
    public static let maxSearchLimit = 100

    /// Every loaded place, in file order (by geonameid for the shipped file).
    public let places: [GazetteerPlace]
    /// Lines that could not be parsed and were left out.
    public let skippedLineCount: Int
    private let index: GazetteerIndex
    private let placeByGeonameID: [Int: Int]

    /// Loads a TSV file in the format written by `scripts/gazetteer/build.py`.
    public convenience init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw GazetteerError.unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(tsv: data)
    }

    /// Parses TSV bytes; malformed lines are skipped and counted in `skippedLineCount`.
    public init(tsv data: Data) throws {
        var places: [GazetteerPlace] = []
        var builder = GazetteerIndexBuilder(expectedPlaces: data.count / 80)
        let skipped = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            return GazetteerTSVParser.parse(bytes) { record in
                builder.add(place: places.count, record: record, in: bytes)
                places.append(record.place)
            }
        }
        guard !places.isEmpty else { throw GazetteerError.noPlaces(skippedLines: skipped) }
        var placeByGeonameID: [Int: Int] = [:]
        placeByGeonameID.reserveCapacity(places.count)
        for (offset, place) in places.enumerated() where placeByGeonameID[place.geonameID] == nil {
            placeByGeonameID[place.geonameID] = offset
        }
        self.places = places
        self.skippedLineCount = skipped
        self.index = builder.build()
        self.placeByGeonameID = placeByGeonameID
    }

    /// The place with this GeoNames id, if loaded.
    public func place(geonameID: Int) -> GazetteerPlace? {
        placeByGeonameID[geonameID].map { places[$0] }
    }

    /// Places matching `query`, best first.
    ///
    /// - Parameters:
    ///   - query: free text such as "lisbon", "São Paulo", "new y" or "Portland, OR"; a blank or
    ///     punctuation-only query returns nothing.
    ///   - near: bias towards places close to this point (e.g. the trip's destination).
    ///   - limit: at most this many results, clamped to 0…`maxSearchLimit`.
    public func search(
        _ query: String,
        near: Coordinate? = nil,
        limit: Int = Gazetteer.defaultSearchLimit
    ) -> [GazetteerPlace] {
        let limit = min(max(0, limit), Self.maxSearchLimit)
        let parsed = GazetteerQuery(query)
        guard limit > 0, !parsed.key.isEmpty else { return [] }

        // Best match per place (a place is reached once per name and word that fits), kept in a
        // per-call array: cheaper than a dictionary when a one-letter query hits thousands of places.
        var bestMatch = [UInt8](repeating: .max, count: places.count)
        var matched: [Int] = []
        index.forEachMatch(of: parsed.key) { place, match in
            if bestMatch[place] == .max { matched.append(place) }
            bestMatch[place] = min(bestMatch[place], match.rawValue)
        }
        let ranking = GazetteerRanking(near: near)
        var candidates: [GazetteerRanking.Candidate] = []
        candidates.reserveCapacity(matched.count)
        for offset in matched where parsed.admits(places[offset]) {
            guard let match = GazetteerMatch(rawValue: bestMatch[offset]) else { continue }
            candidates.append(ranking.candidate(place: offset, places[offset], match: match))
        }
        return GazetteerRanking.top(candidates, limit: limit).map { places[$0.place] }
    }
}
