import Foundation
import Testing

@testable import Trips

@Suite struct GazetteerParsingTests {
    static let header = "# GeoNames cities15000 (https://www.geonames.org), CC BY 4.0 — see ATTRIBUTION\n"

    @Test func malformedLinesAreSkippedAndCounted() throws {
        let lines = [
            "2267057\tLisbon\tLisbon\tPT\t14\t38.72509\t-9.1498\t517802\tEurope/Lisbon\tLisboa",
            "1\tNo Columns",  // too few columns
            "x12\tBad\tBad\tPT\t14\t38.7\t-9.1\t1\tEurope/Lisbon\t",  // id not a number
            "+13\tSigned\tSigned\tPT\t14\t38.7\t-9.1\t1\tEurope/Lisbon\t",  // sign is not a digit
            "14\tFar\tFar\tPT\t14\t98.7\t-9.1\t1\tEurope/Lisbon\t",  // latitude out of range
            "15\tLow\tLow\tpt\t14\t38.7\t-9.1\t1\tEurope/Lisbon\t",  // country code not upper case
            "16\t\t\tPT\t14\t38.7\t-9.1\t1\tEurope/Lisbon\t",  // no name
            "17\tHuge\tHuge\tPT\t14\t38.7\t-9.1\t99999999999999999999999\tEurope/Lisbon\t",  // overflow
            "18\tDots\tDots\tPT\t14\t38..7\t-9.1\t1\tEurope/Lisbon\t",  // not a number
            "",
            "2988507\tParis\tParis\tFR\t11\t48.85341\t2.3488\t2138551\tEurope/Paris\tParigi,Parys\r",
        ]
        let data = Data((Self.header + lines.joined(separator: "\n")).utf8)
        let gazetteer = try Gazetteer(tsv: data)
        #expect(gazetteer.places.map(\.name) == ["Lisbon", "Paris"])
        #expect(gazetteer.skippedLineCount == 8)
        let paris = try #require(gazetteer.place(geonameID: 2_988_507))
        #expect(paris.timeZone == "Europe/Paris")
        #expect(paris.coordinate == Coordinate(latitude: 48.85341, longitude: 2.3488))
        #expect(gazetteer.search("parys", limit: 5).map(\.name) == ["Paris"])
    }

    @Test func decimalsParseExactly() {
        for text in ["38.72509", "-9.1498", "0", "-0", "180", "-33.86785", "12.", "1.00001"] {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { GazetteerTSVParser.parseDecimal($0, 0..<$0.count) }
            #expect(parsed == Double(text), "\(text)")
        }
        for text in ["", "-", ".", "1e5", "--1", "1.2.3", " 1", "1234567890123456"] {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { GazetteerTSVParser.parseDecimal($0, 0..<$0.count) }
            #expect(parsed == nil, "\(text)")
        }
    }

    @Test func aFileWithoutPlacesIsAnError() {
        #expect(throws: GazetteerError.noPlaces(skippedLines: 1)) {
            try Gazetteer(tsv: Data((Self.header + "garbage\n").utf8))
        }
    }

    @Test func aMissingFileIsAnError() {
        #expect(throws: GazetteerError.self) {
            try Gazetteer(contentsOf: "/nonexistent/cities15000.tsv")
        }
    }
}
