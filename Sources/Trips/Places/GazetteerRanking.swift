import Foundation

/// Orders search candidates: exact matches of a place's own name first, then by score.
///
/// score = log10(population + 1) + a bonus for how the query matched (`bonus(for:)`)
///         − 2 · log10(1 + distance_km / 50) when a `near` point is given.
/// A city 10× bigger is worth one point; being 50 km away costs 0.6 points and 5 000 km 4 points,
/// so "Portland" near Maine finds Portland ME (67 k) before Portland OR (650 k), while with no
/// `near` the bigger city wins. Ties go to the lower geonameid, so results are deterministic.
///
/// Only an exact match of the name itself is a strict tier. An exact alternate name is a large
/// bonus instead: GeoNames lists short minority-language names ("Ber" for Véroia) that would
/// otherwise push Berlin off the top for "ber".
struct GazetteerRanking {
    static let distanceWeight = 2.0
    static let distanceScaleKilometers = 50.0

    /// Score bonus per match kind, in log10(population) units; decreasing with match quality.
    static func bonus(for match: GazetteerMatch) -> Double {
        switch match {
        case .exactName: 2.0
        case .exactAlternate: 2.0
        case .namePrefix: 1.5
        case .nameWordPrefix: 0.75
        case .alternatePrefix: -0.5
        case .alternateWordPrefix: -1.5
        }
    }

    struct Candidate {
        var place: Int
        var isExactName: Bool
        var score: Double
        var geonameID: Int

        /// True when `self` ranks before `other`.
        func precedes(_ other: Candidate) -> Bool {
            if isExactName != other.isExactName { return isExactName }
            if score != other.score { return score > other.score }
            return geonameID < other.geonameID
        }
    }

    let near: Coordinate?

    init(near: Coordinate?) {
        // An invalid point would turn every score into NaN; treat it as absent.
        self.near = near.flatMap { $0.isValid ? $0 : nil }
    }

    func candidate(place index: Int, _ place: GazetteerPlace, match: GazetteerMatch) -> Candidate {
        var score = log10(Double(max(0, place.population)) + 1) + Self.bonus(for: match)
        if let near {
            let kilometers = Geodesy.distanceMeters(near, place.coordinate) / 1000
            score -= Self.distanceWeight * log10(1 + kilometers / Self.distanceScaleKilometers)
        }
        return Candidate(place: index, isExactName: match == .exactName, score: score, geonameID: place.geonameID)
    }

    /// The best `limit` candidates in rank order, without sorting the whole set.
    static func top(_ candidates: [Candidate], limit: Int) -> [Candidate] {
        guard limit > 0 else { return [] }
        var best: [Candidate] = []
        best.reserveCapacity(limit + 1)
        for candidate in candidates {
            if best.count == limit, let worst = best.last, !candidate.precedes(worst) { continue }
            // Binary search for the insertion point; `best` stays sorted and at most `limit` long.
            var low = 0
            var high = best.count
            while low < high {
                let middle = (low + high) / 2
                if best[middle].precedes(candidate) { low = middle + 1 } else { high = middle }
            }
            best.insert(candidate, at: low)
            if best.count > limit { best.removeLast() }
        }
        return best
    }
}
