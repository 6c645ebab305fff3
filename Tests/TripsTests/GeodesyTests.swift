import Testing

@testable import Trips

@Suite struct GeodesyTests {
    @Test func oneDegreeOfLatitudeIsRadiusTimesRadian() {
        let distance = Geodesy.distanceMeters(
            Coordinate(latitude: 10, longitude: 20), Coordinate(latitude: 11, longitude: 20))
        #expect(abs(distance - Geodesy.meanEarthRadiusMeters * .pi / 180) < 1e-6)
    }

    @Test func lisbonToMadridIsAbout503Kilometres() {
        let lisbon = Coordinate(latitude: 38.72509, longitude: -9.1498)
        let madrid = Coordinate(latitude: 40.4165, longitude: -3.70256)
        #expect(abs(Geodesy.distanceMeters(lisbon, madrid) - 503_244) < 5)
        #expect(Geodesy.distanceMeters(lisbon, madrid) == Geodesy.distanceMeters(madrid, lisbon))
    }

    @Test func samePointIsZeroAndAntipodesAreHalfTheCircumference() {
        let point = Coordinate(latitude: 48.85, longitude: 2.35)
        #expect(Geodesy.distanceMeters(point, point) == 0)
        let antipode = Coordinate(latitude: -48.85, longitude: -177.65)
        let halfCircumference = Geodesy.meanEarthRadiusMeters * .pi
        #expect(abs(Geodesy.distanceMeters(point, antipode) - halfCircumference) < 1e-3)
    }

    @Test func crossingTheAntimeridianTakesTheShortWay() {
        let west = Coordinate(latitude: 0, longitude: 179.5)
        let east = Coordinate(latitude: 0, longitude: -179.5)
        #expect(abs(Geodesy.distanceMeters(west, east) - Geodesy.meanEarthRadiusMeters * .pi / 180) < 1e-6)
    }

    @Test func pathLengthSumsTheLegs() {
        let a = Coordinate(latitude: 0, longitude: 0)
        let b = Coordinate(latitude: 0, longitude: 1)
        let c = Coordinate(latitude: 1, longitude: 1)
        #expect(Geodesy.pathLength([]) == 0)
        #expect(Geodesy.pathLength([a]) == 0)
        let expected = Geodesy.distanceMeters(a, b) + Geodesy.distanceMeters(b, c)
        #expect(Geodesy.pathLength([a, b, c]) == expected)
    }

    @Test(arguments: [
        (0.0, 0.0, true), (90.0, 180.0, true), (-90.0, -180.0, true), (90.0001, 0.0, false),
        (0.0, -180.5, false), (Double.nan, 0.0, false), (0.0, Double.infinity, false),
    ])
    func validity(latitude: Double, longitude: Double, isValid: Bool) {
        #expect(Coordinate(latitude: latitude, longitude: longitude).isValid == isValid)
    }
}
