import Foundation
import Testing

@testable import Trips

/// The data file that ships in `Sources/Trips/Resources` loads and answers the obvious questions.
@Suite struct ShippedGazetteerTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Trips/Resources/cities15000.tsv").path

    /// Loaded once for the whole suite: Swift Testing creates a suite instance per test case.
    static let shared = try? Gazetteer(contentsOf: path)

    let gazetteer: Gazetteer

    init() throws {
        gazetteer = try #require(Self.shared, "cannot load \(Self.path)")
    }

    @Test func loadsEveryLine() {
        #expect(gazetteer.places.count > 20_000)
        #expect(gazetteer.skippedLineCount == 0)
        let ids = gazetteer.places.map(\.geonameID)
        #expect(ids == ids.sorted())
    }

    @Test func firstLineCarriesTheAttribution() throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: Self.path))
        defer { try? handle.close() }
        let head = String(decoding: try handle.read(upToCount: 200) ?? Data(), as: UTF8.self)
        #expect(head.hasPrefix("# GeoNames cities15000 (https://www.geonames.org), CC BY 4.0"))
    }

    @Test(arguments: ["lisbon", "Lisbon", "Lisboa", "LISBOA", "Lisbon, PT"])
    func lisbonComesFirst(_ query: String) throws {
        let first = try #require(gazetteer.search(query, limit: 5).first)
        #expect(first.geonameID == 2_267_057)
        #expect(first.countryCode == "PT")
        #expect(first.timeZone == "Europe/Lisbon")
    }

    @Test(arguments: [
        ("sao paulo", 3_448_439), ("zurich", 2_657_896), ("krakow", 3_094_802), ("new y", 5_128_581),
        ("muenchen", 2_867_714), ("münchen", 2_867_714), ("xian", 1_790_630), ("paris", 2_988_507),
    ])
    func wellKnownCitiesComeFirst(_ query: String, _ geonameID: Int) {
        #expect(gazetteer.search(query, limit: 3).first?.geonameID == geonameID, "\(query)")
    }

    @Test func portlandDependsOnWhereYouAre() {
        #expect(gazetteer.search("Portland", limit: 1).first?.admin1 == "OR")
        let oregon = Coordinate(latitude: 44.0, longitude: -120.5)
        #expect(gazetteer.search("Portland", near: oregon, limit: 1).first?.admin1 == "OR")
        let maine = Coordinate(latitude: 45.25, longitude: -69.0)
        #expect(gazetteer.search("Portland", near: maine, limit: 1).first?.admin1 == "ME")
        #expect(gazetteer.search("Portland, ME", limit: 1).first?.admin1 == "ME")
    }

    @Test func limitIsHonouredOnTheFullData() {
        #expect(gazetteer.search("s", limit: 7).count == 7)
        #expect(gazetteer.search("s", limit: 1_000).count == Gazetteer.maxSearchLimit)
    }
}
