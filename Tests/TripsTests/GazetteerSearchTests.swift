import Foundation
import Testing

@testable import Trips

/// Matching and ranking rules on a small hand-written file.
@Suite struct GazetteerSearchTests {
    static let tsv = """
        # test data
        1\tPortland\tPortland\tUS\tOR\t45.52345\t-122.67621\t652503\tAmerica/Los_Angeles\tStumptown
        2\tPortland\tPortland\tUS\tME\t43.65737\t-70.2589\t66881\tAmerica/New_York\t
        3\tNew York City\tNew York City\tUS\tNY\t40.71427\t-74.00597\t8804190\tAmerica/New_York\tNew York,Big Apple
        4\tYork\tYork\tGB\tENG\t53.95763\t-1.08271\t153717\tEurope/London\t
        5\tYorkton\tYorkton\tCA\t11\t51.21670\t-102.46766\t16343\tAmerica/Regina\t
        6\tSão Paulo\tSao Paulo\tBR\t27\t-23.5475\t-46.63611\t12400232\tAmerica/Sao_Paulo\tSampa
        7\tParis\tParis\tFR\t11\t48.85341\t2.3488\t2138551\tEurope/Paris\t
        8\tParis\tParis\tUS\tTX\t33.66094\t-95.55551\t24782\tAmerica/Chicago\t
        9\tZürich\tZurich\tCH\tZH\t47.36667\t8.55\t415367\tEurope/Zurich\tZurigo
        10\tLisbon\tLisbon\tPT\t14\t38.72509\t-9.1498\t517802\tEurope/Lisbon\tLisboa
        11\tVéroia\tVeroia\tGR\tESYE12\t40.52437\t22.20242\t44464\tEurope/Athens\tBer
        12\tBerlin\tBerlin\tDE\t16\t52.52437\t13.41053\t3426354\tEurope/Berlin\t
        13\tJoão Lisboa\tJoao Lisboa\tBR\t13\t-5.44722\t-47.40139\t20000\tAmerica/Fortaleza\t
        """

    let gazetteer: Gazetteer

    init() throws {
        gazetteer = try Gazetteer(tsv: Data(Self.tsv.utf8))
    }

    private func names(_ query: String, near: Coordinate? = nil, limit: Int = 10) -> [String] {
        gazetteer.search(query, near: near, limit: limit).map { "\($0.name) \($0.countryCode)" }
    }

    @Test func foldingIgnoresCaseDiacriticsAndPunctuation() {
        #expect(names("sao paulo") == ["São Paulo BR"])
        #expect(names("SÃO-PAULO!") == ["São Paulo BR"])
        #expect(names("zurich") == ["Zürich CH"])
        #expect(names("zürich") == ["Zürich CH"])
    }

    @Test func wordPrefixesAndAlternateNamesMatch() {
        #expect(names("new y") == ["New York City US"])
        #expect(names("big app") == ["New York City US"])
        #expect(names("stumpt") == ["Portland US"])
        #expect(names("Lisboa").first == "Lisbon PT")
        #expect(names("lisboa") == ["Lisbon PT", "João Lisboa BR"])
    }

    @Test func exactNameComesBeforeABiggerPrefixMatch() {
        #expect(names("york") == ["York GB", "New York City US", "Yorkton CA"])
    }

    @Test func anExactShortAlternateDoesNotBeatAMuchBiggerPrefixMatch() {
        #expect(names("ber") == ["Berlin DE", "Véroia GR"])
    }

    @Test func withoutNearTheBiggerPlaceWins() {
        #expect(gazetteer.search("portland", limit: 2).map(\.admin1) == ["OR", "ME"])
        #expect(gazetteer.search("paris", limit: 2).map(\.countryCode) == ["FR", "US"])
    }

    @Test func nearBiasPrefersTheCloserPlace() {
        let augusta = Coordinate(latitude: 44.31, longitude: -69.78)
        #expect(gazetteer.search("portland", near: augusta, limit: 2).map(\.admin1) == ["ME", "OR"])
        let salem = Coordinate(latitude: 44.94, longitude: -123.03)
        #expect(gazetteer.search("portland", near: salem, limit: 2).map(\.admin1) == ["OR", "ME"])
        let dallas = Coordinate(latitude: 32.78, longitude: -96.8)
        #expect(gazetteer.search("paris", near: dallas, limit: 1).map(\.admin1) == ["TX"])
        // An invalid point is ignored rather than poisoning the scores with NaN.
        let invalid = Coordinate(latitude: .nan, longitude: 0)
        #expect(gazetteer.search("portland", near: invalid, limit: 1).map(\.admin1) == ["OR"])
    }

    @Test func trailingRegionCodeFilters() {
        #expect(names("Paris, US") == ["Paris US"])
        #expect(names("paris, fr") == ["Paris FR"])
        #expect(gazetteer.search("Portland, ME").map(\.admin1) == ["ME"])
        #expect(names("Paris, XX").isEmpty)
        // Not a code: the text after the comma is ignored.
        #expect(names("Paris, France") == ["Paris FR", "Paris US"])
    }

    @Test func limitIsHonoured() {
        #expect(names("p", limit: 2).count == 2)
        #expect(names("p", limit: 0).isEmpty)
        #expect(names("p", limit: -3).isEmpty)
        #expect(names("p", limit: 1) == ["São Paulo BR"])
    }

    @Test(arguments: ["", "   ", "\t\n", ",", "!!!", ", PT"])
    func blankQueriesFindNothing(_ query: String) {
        #expect(gazetteer.search(query, limit: 10).isEmpty)
    }

    @Test func resultsAreDeterministic() {
        let first = gazetteer.search("p", limit: 10)
        for _ in 0..<5 {
            #expect(gazetteer.search("p", limit: 10) == first)
        }
    }
}
